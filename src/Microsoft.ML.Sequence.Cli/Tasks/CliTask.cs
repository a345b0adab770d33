using System.CommandLine;
using Microsoft.ML.Sequence.Cli.Reports;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>One task mlseq can train, evaluate, serve and generate code for. A task is one subclass, listed once in
/// <see cref="TaskRegistry"/>: <c>mlseq train &lt;Name&gt;</c> gets its options, and <c>evaluate</c>, <c>predict</c> and
/// <c>codegen</c> find the task of a model.zip through <see cref="Owns"/>.</summary>
internal abstract class CliTask
{
    /// <summary>The name after <c>mlseq train</c>, for example <c>text-classification</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the help text.</summary>
    public abstract string Description { get; }

    /// <summary>The label column when --label-col is not given.</summary>
    public abstract string DefaultLabelColumn { get; }

    /// <summary>What the validation metric measures, for progress lines, tables and the training-curve picture.</summary>
    public abstract string MetricName { get; }

    /// <summary>The task's own options of <c>mlseq train &lt;Name&gt;</c> (beyond the common ones).</summary>
    public virtual IReadOnlyList<Option> TrainOptions => [];

    /// <summary>Loads the data, trains (progress through <see cref="TrainContext.View"/>, Ctrl+C through
    /// <see cref="TrainContext.Interruption"/>) and returns the model to save with its validation data.</summary>
    public abstract TrainedModel Train(TrainContext context);

    /// <summary>True when <paramref name="model"/> (a loaded model.zip) is this task's.</summary>
    public abstract bool Owns(ITransformer model);

    /// <summary>This task for a loaded model whose saved input schema is <paramref name="inputSchema"/>: tasks that need
    /// a column name only the schema keeps (the path column of an image chain) return a copy that knows it.</summary>
    public virtual CliTask ForModelInput(DataViewSchema inputSchema) => this;

    /// <summary>Loads a labelled data file for <paramref name="model"/>, checking columns and labels.</summary>
    public abstract IDataView LoadLabelled(MLContext ml, ITransformer model, string path);

    /// <summary>Scores <paramref name="data"/> (labelled, as <see cref="LoadLabelled"/> or training loads it) and
    /// measures the task's metrics.</summary>
    public abstract EvaluationReport Evaluate(MLContext ml, ITransformer model, IDataView data, string dataName);

    /// <summary>Predicts one input given on the command line and prints it; with <paramref name="pictures"/>, also writes
    /// the task's pictures of this prediction into that folder and returns their file names.</summary>
    public abstract IReadOnlyList<string> PredictText(Terminal terminal, MLContext ml, ITransformer model, string text, string? pictures);

    /// <summary>Predicts every row of a data file into <paramref name="output"/> (written atomically); returns the rows.</summary>
    public abstract long PredictFile(MLContext ml, ITransformer model, string path, string output);

    /// <summary>A complete C# program that loads the model and predicts with a prediction engine.</summary>
    public abstract string GenerateCode(ITransformer model, string modelPath);

    /// <summary>The first transformer of type <typeparamref name="T"/> in a model or chain, or null.</summary>
    protected static T? Find<T>(ITransformer model) where T : class, ITransformer => model switch
    {
        T found => found,
        IEnumerable<ITransformer> chain => chain.Select(Find<T>).FirstOrDefault(t => t is not null),
        _ => null,
    };

    /// <summary>The values of a Text column of <paramref name="scored"/>, row by row.</summary>
    protected static IEnumerable<string> TextValues(IDataView scored, string column)
    {
        using DataViewRowCursor cursor = scored.GetRowCursor([scored.Schema[column]]);
        ValueGetter<ReadOnlyMemory<char>> read = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema[column]);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            read(ref value);
            yield return value.ToString();
        }
    }

    /// <summary>The path column of a model mlseq trained on (path, text) rows: its saved input has exactly those two
    /// columns, so the path column is the one that is not <paramref name="label"/>.</summary>
    protected static string SavedPathColumn(DataViewSchema? inputSchema, string label)
    {
        string[] others = inputSchema?.Where(c => !c.IsHidden && c.Name != label).Select(c => c.Name).Distinct().ToArray() ?? [];
        return others.Length == 1 ? others[0] : throw new CliException(
            $"The model's saved input ({string.Join(", ", inputSchema?.Select(c => c.Name) ?? [])}) does not name one path column besides \"{label}\"; " +
            "mlseq reads only the image and audio models it trained.");
    }

    /// <summary>The number of rows of <paramref name="data"/>, counted with a cursor over one column (a loaded file's
    /// view does not know its row count).</summary>
    protected static long CountRows(IDataView data, string column)
    {
        long rows = 0;
        using DataViewRowCursor cursor = data.GetRowCursor([data.Schema[column]]);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }
}
