using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Mapping;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>A captioner bound to one input schema: reads each row's image as RGB bytes at the model's size and writes
/// the generated caption (Text).</summary>
internal sealed class CaptionerMapper : BatchMapper<byte[], GeneratedCaption>
{
    private const string Component = nameof(ImageCaptioningTransformer);
    private readonly ImageCaptioningTransformer _model;
    private readonly ImageCaptionerOptions _options;
    private readonly DataViewSchema.Column _image;

    public CaptionerMapper(ImageCaptioningTransformer model, ImageCaptionerOptions options, DataViewSchema inputSchema)
    {
        _model = model;
        _options = options;
        _image = ImageCaptioningTransformer.FindImageColumn(inputSchema, options.ImageColumnName, Component);
        OutputColumns = [new OutputColumn(options.PredictedCaptionColumnName, TextDataViewType.Instance)];
    }

    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    public override IReadOnlyList<string> InputColumnNames => [_image.Name];

    public override int BatchSize => _options.PredictionBatchSize;

    public override Func<byte[]> CreateInputReader(DataViewRow row)
    {
        ValueGetter<MLImage> getter = row.GetGetter<MLImage>(_image);
        MLImage value = null!;
        return () =>
        {
            getter(ref value);
            string where = $"{Component}: row {row.Position}, column '{_image.Name}'";
            return value is null
                ? throw new ArgumentException($"{where}: the image is missing (LoadImages could not read the file?).")
                : ImagePixels.Read(value, _options.ImageWidth, _options.ImageHeight, where);
        };
    }

    public override IReadOnlyList<GeneratedCaption> Map(IReadOnlyList<byte[]> inputs) => _model.Caption(inputs);

    public override Delegate CreateGetter(int outputColumn, Func<GeneratedCaption> current) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = current().Text.AsMemory());
}
