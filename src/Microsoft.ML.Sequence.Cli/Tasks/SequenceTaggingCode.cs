using Microsoft.ML.Sequence.Estimators.SequenceTagging;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>The C# program <c>mlseq codegen</c> prints for a sequence tagger.</summary>
internal static class SequenceTaggingCode
{
    public static string Generate(SequenceTaggerTransformer tagger, string modelPath)
    {
        RecurrentSequenceTaggerOptions o = tagger.Options;
        string tokens = CodeText.Identifier(o.TokensColumnName), predicted = CodeText.Identifier(o.PredictedLabelColumnName);
        return CodeText.Header("sequence-tagging", modelPath, "Run: dotnet run -- [path/to/model.zip] [\"tokens separated by spaces\"]") + $$"""
            string modelPath = args.Length > 0 ? args[0] : {{CodeText.Literal(modelPath)}};
            string sentence = args.Length > 1 ? args[1] : "The quick brown fox jumps over the lazy dog .";

            var mlContext = new MLContext();
            ITransformer model = mlContext.Model.Load(modelPath, out DataViewSchema _);
            // A prediction engine scores one row at a time; disposing it disposes the model too.
            using var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
            string[] words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ModelOutput prediction = engine.Predict(new ModelInput { {{tokens}} = words });
            Console.WriteLine("tagged: " + string.Join(" ", words.Zip(prediction.{{predicted}}, (w, t) => $"{w}/{t}")));

            /// <summary>One sentence the model reads.</summary>
            public sealed class ModelInput
            {
                /// <summary>The tokens of the sentence.</summary>
                [ColumnName({{CodeText.Literal(o.TokensColumnName)}})]
                public string[] {{tokens}} { get; set; } = [];
            }

            /// <summary>The model's prediction for one sentence.</summary>
            public sealed class ModelOutput
            {
                /// <summary>One predicted tag per token.</summary>
                [ColumnName({{CodeText.Literal(o.PredictedLabelColumnName)}})]
                public string[] {{predicted}} { get; set; } = [];
            }

            """;
    }
}
