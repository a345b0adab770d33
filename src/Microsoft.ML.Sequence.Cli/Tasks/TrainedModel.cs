using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>A trained model ready to save: the chain, the schema of the rows it reads, the fit's history, and the
/// validation data it is evaluated on.</summary>
/// <param name="Model">What goes into model.zip.</param>
/// <param name="InputSchema">The schema saved with it (the data file's columns).</param>
/// <param name="History">Per-epoch record.</param>
/// <param name="Validation">Labelled validation rows in the shape <see cref="CliTask.Evaluate"/> reads.</param>
/// <param name="ValidationName">Where the validation rows came from.</param>
/// <param name="TrainingRows">Rows the model was trained on.</param>
internal sealed record TrainedModel(ITransformer Model, DataViewSchema InputSchema, TrainingHistory History, IDataView Validation,
    string ValidationName, long TrainingRows);
