namespace Microsoft.ML;

/// <summary>Adds <see cref="SequenceCatalog"/> to <c>MLContext</c> as the property <c>mlContext.Sequence</c>.</summary>
public static class SequenceCatalogExtensions
{
    extension(MLContext mlContext)
    {
        /// <summary>The sequence tasks ML.NET has no catalog for: <c>mlContext.Sequence.Trainers.…</c> and
        /// <c>mlContext.Sequence.Evaluate…</c>. Each read returns a new, stateless catalog over the same context.</summary>
        public SequenceCatalog Sequence
        {
            get
            {
                ArgumentNullException.ThrowIfNull(mlContext);
                return new SequenceCatalog(mlContext);
            }
        }
    }
}
