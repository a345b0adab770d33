using Microsoft.ML.Sequence.Estimators.Training;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Pictures;

/// <summary>Draws a <see cref="TrainingHistory"/> as a PNG: on the left the training loss (and the validation loss) per
/// epoch, on the right the validation metric per epoch, with the epoch whose weights the model kept marked.</summary>
/// <example><code>TrainingCurvePicture.Save(classifier.History!, "training-curves.png", "validation accuracy");</code></example>
public static class TrainingCurvePicture
{
    private static readonly SKColor TrainColor = new(31, 119, 180);
    private static readonly SKColor ValidationColor = new(255, 127, 14);
    private static readonly SKColor MetricColor = new(44, 160, 44);

    /// <summary>Writes the training curves of <paramref name="history"/> to <paramref name="path"/> (PNG, 1200 × 480),
    /// atomically: the picture is written to a temporary file beside it and renamed into place.</summary>
    /// <param name="history">The per-epoch record of a fit (a trainer's transformer <c>History</c>).</param>
    /// <param name="path">The PNG file to write; its folder must exist.</param>
    /// <param name="metricName">What <see cref="EpochSummary.ValidationMetric"/> measures, shown as the right panel's
    /// axis label. Default: "validation metric".</param>
    /// <exception cref="ArgumentException"><paramref name="history"/> has no epoch, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Save(TrainingHistory history, string path, string metricName = "validation metric")
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(metricName);
        if (history.Epochs.Count == 0)
        {
            throw new ArgumentException("The training history has no epoch to draw.", nameof(history));
        }

        IReadOnlyList<EpochSummary> epochs = history.Epochs;
        using var picture = new PictureCanvas(1200, 480);
        string subtitle = $"{epochs.Count} epoch{(epochs.Count == 1 ? "" : "s")}, kept epoch {history.BestEpoch}" +
            (history.StoppedEarly ? ", stopped early" : "") + (history.Interrupted ? ", interrupted" : "");
        picture.Text("Training curves", 600, 30, 20, SKTextAlign.Center, bold: true);
        picture.Text(subtitle, 600, 52, 13, SKTextAlign.Center, new SKColor(90, 90, 90));

        var loss = new List<Series> { new("training loss", TrainColor, epochs.Select(e => (double?)e.TrainingLoss).ToArray()) };
        if (epochs.Any(e => e.ValidationLoss is not null))
        {
            loss.Add(new Series("validation loss", ValidationColor, epochs.Select(e => e.ValidationLoss).ToArray()));
        }

        Plot(picture, new SKRect(80, 80, 570, 420), epochs.Count, loss, "loss", history.BestEpoch);
        var metric = new List<Series>();
        if (epochs.Any(e => e.ValidationMetric is not null))
        {
            metric.Add(new Series(metricName, MetricColor, epochs.Select(e => e.ValidationMetric).ToArray()));
        }

        Plot(picture, new SKRect(690, 80, 1180, 420), epochs.Count, metric, metricName, history.BestEpoch);
        picture.Save(path);
    }

    private static void Plot(PictureCanvas picture, SKRect area, int epochCount, IReadOnlyList<Series> series, string yLabel, int bestEpoch)
    {
        var axis = new SKColor(60, 60, 60);
        var grid = new SKColor(225, 225, 225);
        picture.Frame(area, axis);
        picture.Text("epoch", area.MidX, area.Bottom + 45, 14, SKTextAlign.Center);
        picture.VerticalText(yLabel, area.Left - 58, area.MidY, 14);
        double[] values = series.SelectMany(s => s.Values).Where(v => v is double d && double.IsFinite(d)).Select(v => v!.Value).ToArray();
        if (values.Length == 0)
        {
            picture.Text("no validation data", area.MidX, area.MidY, 14, SKTextAlign.Center, new SKColor(120, 120, 120));
            return;
        }

        double min = values.Min(), max = values.Max();
        double pad = max > min ? (max - min) * 0.08 : Math.Max(Math.Abs(max) * 0.05, 0.01);
        (min, max) = (min - pad, max + pad);
        float X(double epoch) => epochCount == 1 ? area.MidX : area.Left + 20 + (float)((epoch - 1) / (epochCount - 1) * (area.Width - 40));
        float Y(double value) => area.Bottom - (float)((value - min) / (max - min) * area.Height);

        foreach (double tick in PictureCanvas.Ticks(min, max))
        {
            picture.Line(area.Left, Y(tick), area.Right, Y(tick), grid);
            picture.Line(area.Left - 5, Y(tick), area.Left, Y(tick), axis);
            picture.Text(PictureCanvas.Number(tick), area.Left - 8, Y(tick) + 4, 12, SKTextAlign.Right);
        }

        int every = Math.Max(1, (int)Math.Ceiling(epochCount / 12.0));
        for (int epoch = 1; epoch <= epochCount; epoch++)
        {
            if ((epoch - 1) % every == 0 || epoch == epochCount)
            {
                picture.Line(X(epoch), area.Bottom, X(epoch), area.Bottom + 5, axis);
                picture.Text(epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), X(epoch), area.Bottom + 20, 12, SKTextAlign.Center);
            }
        }

        if (bestEpoch >= 1 && bestEpoch <= epochCount)
        {
            picture.Line(X(bestEpoch), area.Top, X(bestEpoch), area.Bottom, new SKColor(150, 150, 150), 1.5f, dashed: true);
            // Beside the line at the bottom, on the side with room, away from the legend in the top right corner.
            bool right = X(bestEpoch) < area.MidX;
            picture.Text("kept", X(bestEpoch) + (right ? 4 : -4), area.Bottom - 8, 12, right ? SKTextAlign.Left : SKTextAlign.Right, new SKColor(110, 110, 110));
        }

        float legendY = area.Top + 18;
        foreach (Series line in series)
        {
            SKPoint? previous = null;
            for (int i = 0; i < line.Values.Length; i++)
            {
                if (line.Values[i] is not double v || !double.IsFinite(v))
                {
                    previous = null;
                    continue;
                }

                var point = new SKPoint(X(i + 1), Y(v));
                if (previous is SKPoint p)
                {
                    picture.Line(p.X, p.Y, point.X, point.Y, line.Color, 2.5f);
                }

                picture.Dot(point.X, point.Y, 4, line.Color);
                previous = point;
            }

            picture.Line(area.Right - 170, legendY - 4, area.Right - 145, legendY - 4, line.Color, 3);
            picture.Text(line.Name, area.Right - 140, legendY, 13);
            legendY += 20;
        }
    }

    private sealed record Series(string Name, SKColor Color, double?[] Values);
}
