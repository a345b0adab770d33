using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Tests.MlNet;

// ML.NET finds the loader by this attribute in the assembly named in the saved model (here the test assembly), which
// therefore also carries IgnoresAccessChecksTo (the library's attribute type, visible through InternalsVisibleTo) and
// compiles against the publicized Microsoft.ML.Core (build/PublicizeMlNetCore.targets).
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: LoadableClass(typeof(ProbeScaleTransformer), null, typeof(SignatureLoadModel), "Probe scale", ProbeScaleTransformer.LoaderSignature)]

namespace Microsoft.ML.Sequence.Tests.MlNet;

/// <summary>Input rows of the probe: one float column X.</summary>
internal sealed class ProbeRow
{
    public float X { get; set; }
}

/// <summary>Output rows of the probe: the scaled column.</summary>
internal sealed class ProbePrediction
{
    public float Scaled { get; set; }
}

/// <summary>A trainer whose fitted state (a scale and an offset, plus settings) must survive model.zip: it maps X to
/// (X - mean) * scale + offset, scale = 1 / (max |X - mean| + 1).</summary>
internal sealed class ProbeScaleEstimator : IEstimator<ProbeScaleTransformer>
{
    private readonly MLContext _ml;

    public ProbeScaleEstimator(MLContext ml) => _ml = ml;

    public ProbeScaleTransformer Fit(IDataView input)
    {
        float[] xs = input.GetColumn<float>("X").ToArray();
        float mean = xs.Average();
        float scale = 1f / (xs.Max(x => Math.Abs(x - mean)) + 1f);
        using (var log = new MlNetLog(_ml, nameof(ProbeScaleEstimator)))
        {
            log.Info(string.Create(CultureInfo.InvariantCulture, $"fitted scale {scale} on {xs.Length} rows"));
        }

        return new ProbeScaleTransformer([mean, scale, 0.25f], "{\"note\":\"probe \u00e9\",\"rows\":" + xs.Length + "}");
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns["Scaled"] = MlNetInternals.CreateColumn("Scaled", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, isKey: false);
        return new SchemaShape(columns.Values);
    }
}

/// <summary>The probe's transformer: saves its weights and settings through <see cref="ModelPayload"/>.</summary>
internal sealed class ProbeScaleTransformer : ITransformer
{
    internal const string LoaderSignature = "MlSequenceProbeScale";
    private readonly ITransformer _mapping;

    internal ProbeScaleTransformer(float[] weights, string settingsJson)
    {
        Weights = weights;
        SettingsJson = settingsJson;
        float mean = weights[0], scale = weights[1], offset = weights[2];
        var ml = new MLContext(seed: 0);
        _mapping = ml.Transforms.CustomMapping<ProbeRow, ProbePrediction>((row, prediction) => prediction.Scaled = ((row.X - mean) * scale) + offset, contractName: null)
            .Fit(ml.Data.LoadFromEnumerable(Array.Empty<ProbeRow>()));
    }

    public float[] Weights { get; }

    public string SettingsJson { get; }

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _mapping.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _mapping.GetRowToRowMapper(inputSchema);

    public IDataView Transform(IDataView input) => _mapping.Transform(input);

    public void Save(ModelSaveContext ctx)
    {
        MlNetInternals.BeginSave(ctx, VersionInfo());
        byte[] weights = new byte[Weights.Length * sizeof(float)];
        Buffer.BlockCopy(Weights, 0, weights, 0, weights.Length);
        new ModelPayload(SettingsJson, weights).Save(ctx);
    }

    internal static VersionInfo VersionInfo() =>
        MlNetInternals.CreateVersionInfo("PROBSCAL", 0x00010001, 0x00010001, 0x00010001, typeof(ProbeScaleTransformer), LoaderSignature);

    // Found by ML.NET through the LoadableClass attribute above (SignatureLoadModel: IHostEnvironment, ModelLoadContext).
    private static ProbeScaleTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        MlNetInternals.BeginLoad(ctx, VersionInfo());
        ModelPayload payload = ModelPayload.Load(ctx, "ProbeScale");
        if (payload.Weights.Length != 3 * sizeof(float))
        {
            throw new InvalidDataException("ProbeScale: weights must be 3 floats");
        }

        float[] weights = new float[3];
        Buffer.BlockCopy(payload.Weights, 0, weights, 0, payload.Weights.Length);
        return new ProbeScaleTransformer(weights, payload.SettingsJson);
    }
}

/// <summary>What the parent test and the child process both compute from a loaded model.</summary>
internal static class ProbeScoring
{
    internal static readonly float[] Inputs = [-3.5f, 0f, 1.25f, 2f, 7.75f, 100f, float.Epsilon];

    internal static IDataView TrainingData(MLContext ml) =>
        ml.Data.LoadFromEnumerable(new[] { 1f, 2f, 3f, 4f, 10f, -2f }.Select(x => new ProbeRow { X = x }).ToArray());

    /// <summary>One line per input: the Transform output and the PredictionEngine output, round-trip formatted.</summary>
    internal static string Score(MLContext ml, ITransformer model)
    {
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(Inputs.Select(x => new ProbeRow { X = x }).ToArray()));
        float[] transformed = scored.GetColumn<float>("Scaled").ToArray();
        using var engine = ml.Model.CreatePredictionEngine<ProbeRow, ProbePrediction>(model);
        var text = new StringBuilder();
        for (int i = 0; i < Inputs.Length; i++)
        {
            float predicted = engine.Predict(new ProbeRow { X = Inputs[i] }).Scaled;
            text.Append(transformed[i].ToString("R", CultureInfo.InvariantCulture)).Append(' ')
                .Append(predicted.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
