using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Embeddings;

/// <summary>
/// Character-level word encoder: each word's characters are embedded and read by a bidirectional LSTM; the word's
/// vector is the concatenation of the forward direction's final state (after the last character) and the backward
/// direction's final state (after the first), so unseen words still get informative vectors.
/// </summary>
/// <remarks>Character id 0 is PAD. Parameters: <c>characters.weight</c>, and the LSTM's under <c>lstm.</c>.
/// Concatenate the result with word embeddings along the feature dimension to combine both views of a word.</remarks>
public sealed class CharacterWordEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "characters")]
    private readonly TorchSharp.Modules.Embedding _characters;

    [ComponentName(Name = "lstm")]
    private readonly Lstm _lstm;

    /// <summary>Creates the encoder.</summary>
    /// <param name="characterCount">Character vocabulary size, PAD (0) included.</param>
    /// <param name="characterEmbeddingSize">Size of each character vector.</param>
    /// <param name="hiddenSize">LSTM hidden size per direction; words become 2 × this.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public CharacterWordEncoder(long characterCount, int characterEmbeddingSize, int hiddenSize, Generator? generator = null)
        : base(nameof(CharacterWordEncoder))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(characterCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(characterEmbeddingSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        _characters = Initialization.Embedding(characterCount, characterEmbeddingSize, generator);
        _lstm = new Lstm(characterEmbeddingSize, hiddenSize, bidirectional: true, generator: generator);
        register_module("characters", _characters);
        register_module("lstm", _lstm);
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
        using var scope = torch.NewDisposeScope();
        RecurrentOutput output = _lstm.Forward(_characters.forward(characters), lengths);
        return torch.cat([output.FinalHidden.select(0, 0), output.FinalHidden.select(0, 1)], dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes every word of a padded batch of sentences; padding words (length 0) get zero vectors.</summary>
    /// <param name="characters">int64 [B, T, L] character ids per word.</param>
    /// <param name="lengths">int64 [B, T] characters per word, 0 at padding positions.</param>
    /// <returns>[B, T, 2H].</returns>
    public Tensor Forward(Tensor characters, Tensor lengths) => call(characters, lengths);

    /// <inheritdoc cref="Forward(Tensor, Tensor)"/>
    public override Tensor forward(Tensor characters, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(characters);
        ArgumentNullException.ThrowIfNull(lengths);
        if (characters.dim() != 3 || lengths.dim() != 2 || lengths.shape[0] != characters.shape[0] || lengths.shape[1] != characters.shape[1])
        {
            throw new ArgumentException(
                $"Characters must be [batch, words, characters] and lengths [batch, words]; got {characters} and {lengths}.", nameof(lengths));
        }

        using var scope = torch.NewDisposeScope();
        long batch = characters.shape[0], words = characters.shape[1], width = characters.shape[2];
        Tensor flatLengths = lengths.reshape(-1);
        long[] lengthValues = TensorValues.ToArray<long>(flatLengths);
        long[] present = Enumerable.Range(0, lengthValues.Length).Where(i => lengthValues[i] > 0).Select(i => (long)i).ToArray();
        Tensor result = torch.zeros([batch * words, OutputSize], device: characters.device);
        if (present.Length > 0)
        {
            // Only real words run through the LSTM; their vectors are scattered back into the zero-filled slots.
            Tensor index = torch.tensor(present, device: characters.device);
            Tensor encoded = Encode(characters.reshape(batch * words, width).index_select(0, index), flatLengths.index_select(0, index));
            result = result.to(encoded.dtype).scatter_add(0, index.unsqueeze(1).expand(present.Length, OutputSize), encoded);
        }

        return result.view(batch, words, OutputSize).MoveToOuterDisposeScope();
    }
}
