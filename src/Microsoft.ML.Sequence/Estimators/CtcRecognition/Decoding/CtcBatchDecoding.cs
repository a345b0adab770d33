namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Decodes a batch of lines one after another on the calling thread: the work a recogniser's transformer does
/// per batch after the network, and what the decoding-speed benchmark times (lines per second).</summary>
internal static class CtcBatchDecoding
{
    /// <summary>Best path of every line (each frames × (alphabet + 1) log-probabilities, row-major).</summary>
    public static string[] BestPath(IReadOnlyList<float[]> lines, string alphabet)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var texts = new string[lines.Count];
        for (int i = 0; i < texts.Length; i++)
        {
            texts[i] = CtcBestPathDecoder.Decode(lines[i], alphabet);
        }

        return texts;
    }

    /// <summary>The best prefix-beam hypothesis of every line.</summary>
    public static string[] Beam(IReadOnlyList<float[]> lines, CtcPrefixBeamDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(decoder);
        var texts = new string[lines.Count];
        for (int i = 0; i < texts.Length; i++)
        {
            texts[i] = decoder.Decode(lines[i])[0].Text;
        }

        return texts;
    }
}
