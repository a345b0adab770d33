using System.Diagnostics;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.MlNet;

/// <summary>The mechanism of DESIGN "Platform facts: ML.NET extensibility", end to end: a chain holding an ML.NET
/// transform and a transformer of ours saves with <c>ml.Model.Save</c> and loads with <c>ml.Model.Load</c> in a fresh
/// MLContext and in a fresh process, with identical Transform and PredictionEngine output.</summary>
[TestClass]
public sealed class ModelRoundTripTests
{
    private static (string Expected, ITransformer Model, DataViewSchema Schema, MLContext Ml) FitChain()
    {
        var ml = new MLContext(seed: 7);
        IDataView data = ProbeScoring.TrainingData(ml);
        var pipeline = ml.Transforms.NormalizeMeanVariance("X").Append(new ProbeScaleEstimator(ml));
        ITransformer model = pipeline.Fit(data);
        return (ProbeScoring.Score(ml, model), model, data.Schema, ml);
    }

    [TestMethod]
    public void SaveThenLoadInAFreshContextScoresIdentically()
    {
        var (expected, model, schema, ml) = FitChain();
        using var temp = new TempDirectory();
        string path = temp.File("model.zip");
        ml.Model.Save(model, schema, path);

        var fresh = new MLContext(seed: 99);
        ITransformer loaded = fresh.Model.Load(path, out DataViewSchema loadedSchema);

        Assert.AreEqual(expected, ProbeScoring.Score(fresh, loaded));
        Assert.AreEqual("X", loadedSchema[0].Name);
        var probe = ((IEnumerable<ITransformer>)loaded).OfType<ProbeScaleTransformer>().Single();
        var original = ((IEnumerable<ITransformer>)model).OfType<ProbeScaleTransformer>().Single();
        CollectionAssert.AreEqual(original.Weights, probe.Weights);
        Assert.AreEqual(original.SettingsJson, probe.SettingsJson);
    }

    [TestMethod]
    public void SaveThenLoadInAChildProcessScoresIdentically()
    {
        var (expected, model, schema, ml) = FitChain();
        using var temp = new TempDirectory();
        string path = temp.File("model.zip");
        ml.Model.Save(model, schema, path);
        Assert.AreEqual(expected, ScoreInChildProcess(path, scorer: "probe"));
    }

    /// <summary>Loads the model at <paramref name="path"/> in a fresh <c>dotnet</c> process (no setup call) and returns what
    /// it printed.</summary>
    internal static string ScoreInChildProcess(string path, string scorer)
    {
        string testAssembly = typeof(ModelRoundTripTests).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost(), [testAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(testAssembly)!,
        };
        start.Environment["DOTNET_STARTUP_HOOKS"] = testAssembly;
        start.Environment[ChildProcessLoad.ModelVariable] = path;
        start.Environment[ChildProcessLoad.ScorerVariable] = scorer;
        using var child = Process.Start(start)!;
        Task<string> stdout = child.StandardOutput.ReadToEndAsync();
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        Assert.IsTrue(child.WaitForExit(120_000), "the child process did not finish in 120 s");
        Assert.AreEqual(0, child.ExitCode, "child process failed: " + stderr.Result);
        return stdout.Result;
    }

    [TestMethod]
    public void FitWritesToMlContextLog()
    {
        var ml = new MLContext(seed: 7);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        new ProbeScaleEstimator(ml).Fit(ProbeScoring.TrainingData(ml));
        Assert.IsTrue(messages.Any(m => m.Contains("fitted scale", StringComparison.Ordinal) && m.Contains(nameof(ProbeScaleEstimator), StringComparison.Ordinal)),
            "no log message from the probe; got: " + string.Join(" | ", messages.Take(20)));
    }

    [TestMethod]
    public void EstimatorOutputSchemaUsesTheInternalColumnConstructor()
    {
        var ml = new MLContext(seed: 7);
        var shape = new ProbeScaleEstimator(ml).GetOutputSchema(SchemaShape.Create(ProbeScoring.TrainingData(ml).Schema));
        Assert.IsTrue(shape.TryFindColumn("Scaled", out var column));
        Assert.AreEqual(SchemaShape.Column.VectorKind.Scalar, column.Kind);
        Assert.AreEqual(Microsoft.ML.Data.NumberDataViewType.Single, column.ItemType);
    }

    internal static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }
}
