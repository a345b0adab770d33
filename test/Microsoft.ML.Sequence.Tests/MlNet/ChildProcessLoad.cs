using Microsoft.ML;
using Microsoft.ML.Sequence.Tests.MlNet;

/// <summary>
/// Lets a test load a model in a fresh process without another project: the test starts
/// <c>dotnet Microsoft.ML.Sequence.Tests.dll</c> (whose own entry point does nothing) with this assembly as a .NET
/// startup hook and <see cref="ChildProcessLoad.ModelVariable"/> naming the model; the hook loads it, prints
/// its scores and exits. Without the variable the hook does nothing.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        string? model = Environment.GetEnvironmentVariable(ChildProcessLoad.ModelVariable);
        if (model is not null)
        {
            Environment.Exit(ChildProcessLoad.Run(model));
        }
    }
}

namespace Microsoft.ML.Sequence.Tests.MlNet
{
    internal static class ChildProcessLoad
    {
        internal const string ModelVariable = "MLSEQ_TEST_CHILD_LOAD_MODEL";

        /// <summary>"classifier" scores with <see cref="ClassifierScoring"/>, "audio" with
        /// <see cref="Data.Audio.AudioScoring"/>; anything else with <see cref="ProbeScoring"/>.</summary>
        internal const string ScorerVariable = "MLSEQ_TEST_CHILD_SCORER";

        internal static int Run(string modelPath)
        {
            try
            {
                var ml = new MLContext(seed: 1);
                ITransformer model = ml.Model.Load(modelPath, out _);
                Console.Out.Write(Environment.GetEnvironmentVariable(ScorerVariable) switch
                {
                    "classifier" => ClassifierScoring.Score(ml, model),
                    "audio" => Data.Audio.AudioScoring.Score(ml, model),
                    _ => ProbeScoring.Score(ml, model),
                });
                Console.Out.Flush();
                return 0;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return 3;
            }
        }
    }
}
