using Microsoft.ML.Sequence.Estimators.TextClassification;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>The C# program <c>mlseq codegen</c> prints for a text classifier.</summary>
internal static class TextClassificationCode
{
    public static string Generate(TextClassifierTransformer classifier, string modelPath)
    {
        RecurrentTextClassifierOptions o = classifier.Options;
        string text = CodeText.Identifier(o.TextColumnName), predicted = CodeText.Identifier(o.PredictedLabelColumnName);
        string score = CodeText.Identifier(o.ScoreColumnName), probability = CodeText.Identifier(o.ProbabilityColumnName);
        string header = CodeText.Header(classifier.IsBinary ? "binary text-classification" : "multiclass text-classification", modelPath,
            "Run: dotnet run -- [path/to/model.zip] [\"a text to classify\"]");
        string output = classifier.IsBinary
            ? $$"""
                  Console.WriteLine($"{{predicted}}: {prediction.{{predicted}}}");
                  Console.WriteLine($"{{probability}}: {prediction.{{probability}}:0.0000}");
                  """
            : $$"""
                  Console.WriteLine($"{{predicted}}: {prediction.{{predicted}}}");
                  string[] classes = [{{string.Join(", ", classifier.Classes.Select(CodeText.Literal))}}];
                  for (int i = 0; i < classes.Length; i++)
                  {
                      Console.WriteLine($"P({classes[i]}): {prediction.{{score}}[i]:0.0000}");
                  }
                  """;
        string outputClass = classifier.IsBinary
            ? $$"""
                  /// <summary>The model's prediction for one row.</summary>
                  public sealed class ModelOutput
                  {
                      /// <summary>The predicted class.</summary>
                      [ColumnName({{CodeText.Literal(o.PredictedLabelColumnName)}})]
                      public bool {{predicted}} { get; set; }

                      /// <summary>The raw margin, logit(true) − logit(false).</summary>
                      [ColumnName({{CodeText.Literal(o.ScoreColumnName)}})]
                      public float {{score}} { get; set; }

                      /// <summary>The probability of true.</summary>
                      [ColumnName({{CodeText.Literal(o.ProbabilityColumnName)}})]
                      public float {{probability}} { get; set; }
                  }
                  """
            : $$"""
                  /// <summary>The model's prediction for one row.</summary>
                  public sealed class ModelOutput
                  {
                      /// <summary>The predicted class.</summary>
                      [ColumnName({{CodeText.Literal(o.PredictedLabelColumnName)}})]
                      public string {{predicted}} { get; set; } = "";

                      /// <summary>One probability per class, in the order of the model's classes.</summary>
                      [ColumnName({{CodeText.Literal(o.ScoreColumnName)}})]
                      public float[] {{score}} { get; set; } = [];
                  }
                  """;
        return header + $$"""
            string modelPath = args.Length > 0 ? args[0] : {{CodeText.Literal(modelPath)}};
            string input = args.Length > 1 ? args[1] : "This was a wonderful experience, I would come back any time.";

            var mlContext = new MLContext();
            ITransformer model = mlContext.Model.Load(modelPath, out DataViewSchema _);
            // A prediction engine scores one row at a time; disposing it disposes the model too.
            using var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
            ModelOutput prediction = engine.Predict(new ModelInput { {{text}} = input });
            {{output}}

            /// <summary>One row the model reads.</summary>
            public sealed class ModelInput
            {
                /// <summary>The text to classify.</summary>
                [ColumnName({{CodeText.Literal(o.TextColumnName)}})]
                public string {{text}} { get; set; } = "";
            }

            {{outputClass}}

            """;
    }
}
