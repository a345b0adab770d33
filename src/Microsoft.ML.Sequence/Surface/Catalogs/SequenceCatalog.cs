using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>Our catalog for the sequence tasks ML.NET has no catalog for (CTC recognition, image captioning), reached as
/// <c>mlContext.Sequence</c>: its <see cref="Trainers"/> carry the trainers, and the catalog itself carries the
/// evaluators, as ML.NET's task catalogs do.</summary>
/// <remarks>Text classification and sequence tagging are not here: their trainers sit on ML.NET's own
/// <c>BinaryClassification</c> and <c>MulticlassClassification</c> catalogs, so ML.NET's evaluators apply.</remarks>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// var trainer = ml.Sequence.Trainers.CtcRecognizer(labelColumnName: "Text", imageColumnName: "Image");
/// </code>
/// </example>
public sealed class SequenceCatalog
{
    internal SequenceCatalog(IHostEnvironment environment)
    {
        Environment = environment;
        Trainers = new SequenceTrainers(environment);
    }

    /// <summary>The trainers of this catalog; each is an extension method on <see cref="SequenceTrainers"/>.</summary>
    public SequenceTrainers Trainers { get; }

    /// <summary>The context the catalog was reached from (seed, log, GPU settings).</summary>
    internal IHostEnvironment Environment { get; }

    /// <summary>The object that carries the sequence trainers (<c>mlContext.Sequence.Trainers</c>), as ML.NET's
    /// catalogs carry theirs; the trainers are extension methods on it.</summary>
    public sealed class SequenceTrainers
    {
        internal SequenceTrainers(IHostEnvironment environment) => Environment = environment;

        /// <summary>The context the catalog was reached from.</summary>
        internal IHostEnvironment Environment { get; }
    }
}
