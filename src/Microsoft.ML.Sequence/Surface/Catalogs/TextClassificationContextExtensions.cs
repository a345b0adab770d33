namespace Microsoft.ML.Sequence;

/// <summary>Adds <c>context.TextClassification</c> to <see cref="SequenceContext"/> (the catalog seam third parties use too).</summary>
public static class TextClassificationContextExtensions
{
    /// <summary>Members added to <see cref="SequenceContext"/>.</summary>
    /// <param name="context">The context.</param>
    extension(SequenceContext context)
    {
        /// <summary>Text classification trainers and evaluation, created once per context.</summary>
        public TextClassificationCatalog TextClassification => context.GetCatalog(c => new TextClassificationCatalog(c));
    }
}
