using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The padded tensors of a batch of sentences (created in the caller's scope).</summary>
/// <param name="Words">int64 [B, T] word keys, PAD (0) past each length.</param>
/// <param name="Characters">int64 [B, T, L] character keys, or null without a character encoder.</param>
/// <param name="CharacterLengths">int64 [B, T] characters per word (0 for padding words), or null.</param>
/// <param name="Lengths">int64 [B] sentence lengths, on the CPU.</param>
/// <param name="Targets">int64 [B, T] gold tag classes, −100 where ignored, or null.</param>
internal sealed record TaggerBatchTensors(Tensor Words, Tensor? Characters, Tensor? CharacterLengths, Tensor Lengths, Tensor? Targets)
{
    public static TaggerBatchTensors Create(IReadOnlyList<EncodedSentence> sentences, bool characters, bool targets, Device device)
    {
        int batch = sentences.Count;
        int steps = sentences.Max(s => s.Length);
        var words = new long[batch * steps];
        var lengths = new long[batch];
        long[]? tags = targets ? new long[batch * steps] : null;
        if (tags is not null)
        {
            Array.Fill(tags, TaggerVocabularies.IgnoredTag);
        }

        for (int row = 0; row < batch; row++)
        {
            EncodedSentence sentence = sentences[row];
            lengths[row] = sentence.Length;
            sentence.Words.CopyTo(words, row * steps);
            sentence.Tags?.CopyTo(tags!, row * steps);
        }

        Tensor? characterTensor = null, characterLengths = null;
        if (characters)
        {
            int width = Math.Max(1, sentences.Max(s => s.Characters.Length == 0 ? 0 : s.Characters.Max(c => c.Length)));
            var keys = new long[batch * steps * width];
            var counts = new long[batch * steps];
            for (int row = 0; row < batch; row++)
            {
                long[][] wordCharacters = sentences[row].Characters;
                for (int t = 0; t < wordCharacters.Length; t++)
                {
                    wordCharacters[t].CopyTo(keys, (row * steps + t) * width);
                    counts[row * steps + t] = wordCharacters[t].Length;
                }
            }

            characterTensor = tensor(keys, [batch, steps, width], device: device);
            characterLengths = tensor(counts, [batch, steps], device: device);
        }

        return new TaggerBatchTensors(
            tensor(words, [batch, steps], device: device),
            characterTensor,
            characterLengths,
            tensor(lengths),
            tags is null ? null : tensor(tags, [batch, steps], device: device));
    }
}
