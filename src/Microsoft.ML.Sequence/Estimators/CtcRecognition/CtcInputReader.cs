using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Data.Imaging;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Finds a recognizer's input column and reads it row by row into <see cref="CtcSample"/>s: images become
/// grayscale (ink = 1 − luminance, composited over white), scaled to the model's height keeping the aspect ratio;
/// feature vectors are checked against [T, F].</summary>
internal static class CtcInputReader
{
    private const string ImageRole = "image";
    private const string FeaturesRole = "features";

    /// <summary>The input column of <paramref name="options"/> in <paramref name="schema"/>, its kind and, for features,
    /// F (the last dimension).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of the wrong type; the message names it.</exception>
    public static (DataViewSchema.Column Column, CtcInputKind Kind, int FeatureSize) Find(DataViewSchema schema, CtcRecognizerOptions options, string component)
    {
        if (options.ImageColumnName is { } image)
        {
            DataViewSchema.Column column = InputColumns.Find(schema, image, ImageRole, component);
            if (column.Type is not ImageDataViewType)
            {
                throw InputColumns.Mismatch(image, ImageRole, component, "Image (from mlContext.Transforms.LoadImages)", InputColumns.Shape(column.Type));
            }

            return (column, CtcInputKind.Image, 0);
        }

        string name = options.FeaturesColumnName!;
        DataViewSchema.Column features = InputColumns.Find(schema, name, FeaturesRole, component);
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType item } vector || item != NumberDataViewType.Single
            || vector.Dimensions.Length != 2 || vector.Dimensions[^1] < 1)
        {
            throw new ArgumentOutOfRangeException("inputSchema",
                $"{component}: Schema mismatch for {FeaturesRole} column '{name}': expected a 2-D vector of Single with dimensions [T, F] " +
                $"(T may be 0 for a variable frame count, F ≥ 1), got {features.Type}" +
                (features.Type is VectorDataViewType v ? $" with dimensions [{string.Join(", ", v.Dimensions.ToArray())}]." : "."));
        }

        return (features, CtcInputKind.Features, vector.Dimensions[^1]);
    }

    /// <summary>The same check on a <see cref="SchemaShape"/> (dimensions are not known there: any vector of Single passes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of the wrong type.</exception>
    public static void Find(SchemaShape shape, CtcRecognizerOptions options, string component)
    {
        if (options.ImageColumnName is { } image)
        {
            SchemaShape.Column column = InputColumns.Find(shape, image, ImageRole, component);
            if (column.ItemType is not ImageDataViewType)
            {
                throw InputColumns.Mismatch(image, ImageRole, component, "Image (from mlContext.Transforms.LoadImages)", ColumnShape.Of(column));
            }

            return;
        }

        SchemaShape.Column features = InputColumns.Find(shape, options.FeaturesColumnName!, FeaturesRole, component);
        if (!ColumnShape.Of(features).IsVectorOf(NumberDataViewType.Single))
        {
            throw InputColumns.Mismatch(options.FeaturesColumnName!, FeaturesRole, component, "a vector of Single with dimensions [T, F]", ColumnShape.Of(features));
        }
    }

    /// <summary>A reader of the current row's input.</summary>
    /// <param name="row">The row or cursor, with <paramref name="column"/> active.</param>
    /// <param name="column">The input column.</param>
    /// <param name="kind">Image or features.</param>
    /// <param name="imageHeight">Height images are scaled to.</param>
    /// <param name="featureSize">F, for features.</param>
    /// <param name="part">"training", "validation" or "prediction", for messages.</param>
    /// <param name="component">The component name, for messages.</param>
    /// <returns>Reads a row; throws <see cref="ArgumentException"/> naming the column and row on an empty, missing or
    /// malformed value.</returns>
    public static Func<CtcSample> Create(DataViewRow row, DataViewSchema.Column column, CtcInputKind kind, int imageHeight, int featureSize,
        string part, string component)
    {
        if (kind == CtcInputKind.Image)
        {
            ValueGetter<MLImage> image = row.GetGetter<MLImage>(column);
            MLImage value = null!;
            return () =>
            {
                image(ref value);
                return value is null
                    ? throw new ArgumentException($"{component}: {part} row {row.Position}, image column '{column.Name}' has no image.")
                    : FromImage(value, imageHeight, $"{component}: {part} row {row.Position}, image column '{column.Name}'");
            };
        }

        ValueGetter<VBuffer<float>> getter = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            getter(ref buffer);
            int length = buffer.Length;
            if (length == 0 || length % featureSize != 0)
            {
                throw new ArgumentException(
                    $"{component}: {part} row {row.Position}, features column '{column.Name}' holds {length} values; expected a positive multiple of F = {featureSize} (frames × features).");
            }

            float[] values = buffer.DenseValues().ToArray();
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            return bad >= 0
                ? throw new ArgumentException($"{component}: {part} row {row.Position}, features column '{column.Name}': value {bad} (frame {bad / featureSize}) is {values[bad]}.")
                : new CtcSample(values, length / featureSize);
        };
    }

    /// <summary>Grayscale ink values of <paramref name="image"/> scaled to <paramref name="height"/> rows, bilinear (with
    /// antialiasing when shrinking), width rounded to keep the aspect ratio (at least 1).</summary>
    internal static CtcSample FromImage(MLImage image, int height, string where)
    {
        (int red, int green, int blue) = ImageChannels.Offsets(image, where);
        int w = image.Width, h = image.Height;
        ReadOnlySpan<byte> pixels = image.Pixels;
        var ink = new float[w * h];
        for (int i = 0; i < ink.Length; i++)
        {
            int p = i * 4;
            float r = pixels[p + red], g = pixels[p + green], b = pixels[p + blue], a = pixels[p + 3] / 255f;
            float luminance = ((0.299f * r) + (0.587f * g) + (0.114f * b)) / 255f;
            ink[i] = 1f - ((a * luminance) + (1f - a));
        }

        if (h == height)
        {
            return new CtcSample(ink, w);
        }

        int width = Math.Max(1, (int)Math.Round((double)w * height / h));
        using var scope = NewDisposeScope();
        using Tensor source = tensor(ink, [1, 1, h, w]);
        Tensor scaled = nn.functional.interpolate(source, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false,
            antialias: height < h);
        return new CtcSample(TensorValues.ToArray<float>(scaled), width);
    }
}
