using System.Globalization;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Audio;

namespace Microsoft.ML.Sequence.Tests.Data.Audio;

/// <summary>Runs a loaded audio pipeline over every WAV file in the folder its LoadAudio step was saved with and prints
/// each row's features exactly (round-trip float text), so a parent and a child process can compare what they computed.</summary>
internal static class AudioScoring
{
    private sealed class Clip
    {
        public string AudioPath { get; set; } = "";
    }

    public static string Score(MLContext ml, ITransformer model)
    {
        string folder = ((IEnumerable<ITransformer>)model).OfType<AudioLoadingTransformer>().Single().Options.AudioFolder!;
        Clip[] clips = Directory.GetFiles(folder, "*.wav").Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Select(name => new Clip { AudioPath = name! }).ToArray();
        IDataView features = model.Transform(ml.Data.LoadFromEnumerable(clips));
        var text = new StringBuilder();
        foreach (VBuffer<float> row in features.GetColumn<VBuffer<float>>("Features"))
        {
            text.AppendLine(string.Join(" ", row.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        return text.ToString();
    }
}
