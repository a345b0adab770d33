using Microsoft.ML.Sequence.Estimators.ImageCaptioning;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>The C# program <c>mlseq codegen</c> prints for an image captioner (its chain reads an image path).</summary>
internal static class ImageCaptioningCode
{
    public static string Generate(ImageCaptioningTransformer captioner, string pathColumn, string modelPath)
    {
        ImageCaptionerOptions o = captioner.Options;
        string path = CodeText.Identifier(pathColumn), predicted = CodeText.Identifier(o.PredictedCaptionColumnName);
        return CodeText.Header("image-captioning", modelPath, "Run: dotnet run -- [path/to/model.zip] path/to/image.png") + $$"""
            string modelPath = args.Length > 0 ? args[0] : {{CodeText.Literal(modelPath)}};
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: dotnet run -- path/to/model.zip path/to/image.png");
                return 2;
            }

            var mlContext = new MLContext();
            ITransformer model = mlContext.Model.Load(modelPath, out DataViewSchema _);
            // A prediction engine scores one row at a time; disposing it disposes the model too.
            using var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
            // The model's first step loads the image named in the row (an absolute path, or one relative to the working folder).
            ModelOutput prediction = engine.Predict(new ModelInput { {{path}} = Path.GetFullPath(args[1]) });
            Console.WriteLine("PredictedCaption: " + prediction.{{predicted}});
            return 0;

            /// <summary>One image the model reads.</summary>
            public sealed class ModelInput
            {
                /// <summary>The path of the image file.</summary>
                [ColumnName({{CodeText.Literal(pathColumn)}})]
                public string {{path}} { get; set; } = "";
            }

            /// <summary>The model's caption.</summary>
            public sealed class ModelOutput
            {
                /// <summary>The predicted caption.</summary>
                [ColumnName({{CodeText.Literal(o.PredictedCaptionColumnName)}})]
                public string {{predicted}} { get; set; } = "";
            }

            """;
    }
}
