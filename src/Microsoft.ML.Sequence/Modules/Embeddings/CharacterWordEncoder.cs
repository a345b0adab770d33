using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Embeddings;

/// <summary>
/// Character-level word encoder: each word's characters are embedded and read by a bidirectional LSTM; the word's
/// vector is the concatenation of the forward direction's final state (after the last character) and the backward
/// direction's final state (after the first), so unseen words still get informative vectors.
/// </summary>
/// <remarks>Character id 0 is PAD. Parameters: <c>characters.weight</c>, and the LSTM's under <c>lstm.</c>.
/// Concatenate the result with word embeddings along the feature dimension to combine both views of a word.</remarks>
public sealed class CharacterWordEncoder : Module
{
    private readonly Embedding _characters;
    private readonly Lstm _lstm;

    /// <summary>Creates the encoder.</summary>
    /// <param name="characterCount">Character vocabulary size, PAD (0) included.</param>
    /// <param name="characterEmbeddingSize">Size of each character vector.</param>
    /// <param name="hiddenSize">LSTM hidden size per direction; words become 2 × this.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public CharacterWordEncoder(long characterCount, int characterEmbeddingSize, int hiddenSize, RandomGenerator? generator = null)
    {
        _characters = RegisterModule("characters", new Embedding(characterCount, characterEmbeddingSize, paddingIndex: 0, generator));
        _lstm = RegisterModule("lstm", new Lstm(characterEmbeddingSize, hiddenSize, bidirectional: true, generator: generator));
        OutputSize = 2 * hiddenSize;
    }

    /// <summary>Size of each word vector (2 × hidden size).</summary>
    public int OutputSize { get; }

    /// <summary>Encodes a list of words.</summary>
    /// <param name="characters">int64 [N, L] character ids, 0-padded.</param>
    /// <param name="lengths">int64 [N] characters per word, each ≥ 1.</param>
    /// <returns>[N, 2H].</returns>
    public Tensor Encode(Tensor characters, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(characters);
        using var scope = TensorScope.Begin();
        RecurrentOutput output = _lstm.Forward(_characters.Forward(characters), lengths);
        return scope.MoveToOuter(Tensor.Cat([output.FinalHidden.Select(0, 0), output.FinalHidden.Select(0, 1)], 1));
    }

    /// <summary>Encodes every word of a padded batch of sentences; padding words (length 0) get zero vectors.</summary>
    /// <param name="characters">int64 [B, T, L] character ids per word.</param>
    /// <param name="lengths">int64 [B, T] characters per word, 0 at padding positions.</param>
    /// <returns>[B, T, 2H].</returns>
    public Tensor Forward(Tensor characters, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(characters);
        ArgumentNullException.ThrowIfNull(lengths);
        if (characters.Rank != 3 || lengths.Rank != 2 || lengths.Size(0) != characters.Size(0) || lengths.Size(1) != characters.Size(1))
        {
            throw new ArgumentException(
                $"Characters must be [batch, words, characters] and lengths [batch, words]; got {characters} and {lengths}.", nameof(lengths));
        }

        using var scope = TensorScope.Begin();
        long batch = characters.Size(0), words = characters.Size(1), width = characters.Size(2);
        Tensor flatLengths = lengths.Reshape(-1);
        long[] lengthValues = flatLengths.To(Device.Cpu).ToArray<long>();
        long[] present = Enumerable.Range(0, lengthValues.Length).Where(i => lengthValues[i] > 0).Select(i => (long)i).ToArray();
        Tensor result = Tensor.Zeros([batch * words, OutputSize], device: characters.Device);
        if (present.Length > 0)
        {
            // Only real words run through the LSTM; their vectors are scattered back into the zero-filled slots.
            Tensor index = Tensor.From(present, characters.Device);
            Tensor encoded = Encode(characters.Reshape(batch * words, width).IndexSelect(0, index), flatLengths.IndexSelect(0, index));
            result = result.To(encoded.DType).ScatterAdd(0, index.Unsqueeze(1).Expand(present.Length, OutputSize), encoded);
        }

        return scope.MoveToOuter(result.View(batch, words, OutputSize));
    }
}
