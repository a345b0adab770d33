namespace Microsoft.ML.Sequence;

/// <summary>Adds <c>context.SequenceTagging</c> to <see cref="SequenceContext"/>.</summary>
public static class SequenceTaggingContextExtensions
{
    extension(SequenceContext context)
    {
        /// <summary>Sequence tagging: trainers and evaluation (created once per context).</summary>
        public SequenceTaggingCatalog SequenceTagging => context.GetCatalog(c => new SequenceTaggingCatalog(c));
    }
}
