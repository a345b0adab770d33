using Microsoft.ML.Sequence.Estimators.CtcRecognition;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>The C# program <c>mlseq codegen</c> prints for a CTC recognizer (its chain reads an image or WAV path).</summary>
internal static class CtcRecognitionCode
{
    public static string Generate(CtcRecognitionTransformer recognizer, string pathColumn, string kind, string modelPath)
    {
        CtcRecognizerOptions o = recognizer.Options;
        string path = CodeText.Identifier(pathColumn), predicted = CodeText.Identifier(o.PredictedTextColumnName);
        string example = kind == "audio" ? "speech.wav" : "line.png";
        return CodeText.Header("ctc-recognition", modelPath, $"Run: dotnet run -- [path/to/model.zip] path/to/{example}") + $$"""
            string modelPath = args.Length > 0 ? args[0] : {{CodeText.Literal(modelPath)}};
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: dotnet run -- path/to/model.zip path/to/{{example}}");
                return 2;
            }

            var mlContext = new MLContext();
            ITransformer model = mlContext.Model.Load(modelPath, out DataViewSchema _);
            // A prediction engine scores one row at a time; disposing it disposes the model too.
            using var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
            // The model's first step loads the {{kind}} file named in the row (an absolute path, or one relative to the working folder).
            ModelOutput prediction = engine.Predict(new ModelInput { {{path}} = Path.GetFullPath(args[1]) });
            Console.WriteLine("PredictedText: " + prediction.{{predicted}});
            return 0;

            /// <summary>One {{kind}} file the model reads.</summary>
            public sealed class ModelInput
            {
                /// <summary>The path of the {{kind}} file.</summary>
                [ColumnName({{CodeText.Literal(pathColumn)}})]
                public string {{path}} { get; set; } = "";
            }

            /// <summary>The model's transcription.</summary>
            public sealed class ModelOutput
            {
                /// <summary>The recognised text.</summary>
                [ColumnName({{CodeText.Literal(o.PredictedTextColumnName)}})]
                public string {{predicted}} { get; set; } = "";
            }

            """;
    }
}
