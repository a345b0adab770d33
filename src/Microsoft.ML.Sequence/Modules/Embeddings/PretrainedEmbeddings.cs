using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Embeddings;

/// <summary>Loads pretrained word vectors from a text file (GloVe: <c>word v1 … vd</c> per line; word2vec text: the same
/// after a <c>count dimension</c> header line) into a TorchSharp <c>nn.Embedding</c>.</summary>
public static class PretrainedEmbeddings
{
    /// <summary>Copies the vector of every vocabulary word found in the file into its embedding row; other rows keep
    /// their initialisation. The file is read line by line, never whole.</summary>
    /// <param name="path">The vectors file (UTF-8).</param>
    /// <param name="vocabulary">Word → embedding row. Rows must be in [0, rows of the embedding).</param>
    /// <param name="embedding">Target embedding (weight [rows, dimension]); its dimension must equal the file's.</param>
    /// <returns>How many vocabulary words were found.</returns>
    /// <exception cref="FormatException">A line is malformed; the message names the file, the line and the problem.</exception>
    public static PretrainedVectorsReport Load(string path, IReadOnlyDictionary<string, long> vocabulary,
        TorchSharp.Modules.Embedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        return Load(path, vocabulary, [embedding]);
    }

    /// <summary>As <see cref="Load(string, IReadOnlyDictionary{string, long}, TorchSharp.Modules.Embedding)"/> into several
    /// embeddings of one shape (an ensemble's members), reading the file once.</summary>
    internal static PretrainedVectorsReport Load(string path, IReadOnlyDictionary<string, long> vocabulary,
        IReadOnlyList<TorchSharp.Modules.Embedding> embeddings)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(vocabulary);
        Tensor[] weights = embeddings.Select(e => e.weight ?? throw new ArgumentException("The embedding has no weight.", nameof(embeddings)))
            .ToArray();
        long rows = weights[0].shape[0];
        int dimension = checked((int)weights[0].shape[1]);
        if (weights.Any(w => w.shape[0] != rows || w.shape[1] != dimension))
        {
            throw new ArgumentException("The embeddings differ in shape.", nameof(embeddings));
        }
        var found = new Dictionary<long, float[]>();
        long fileWords = 0;
        int lineNumber = 0;
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        using (var reader = new StreamReader(path, utf8))
        {
            string? line;
            while ((line = ReadLine(reader, path, lineNumber + 1)) is not null)
            {
                lineNumber++;
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0 || (lineNumber == 1 && IsWord2VecHeader(parts)))
                {
                    continue;
                }

                if (parts.Length != dimension + 1)
                {
                    throw new FormatException(
                        $"{path} line {lineNumber}: expected a word and {dimension} numbers, found {parts.Length - 1} numbers.");
                }

                fileWords++;
                if (!vocabulary.TryGetValue(parts[0], out long row))
                {
                    continue;
                }

                if (row < 0 || row >= rows)
                {
                    throw new ArgumentException($"Vocabulary row {row} of '{parts[0]}' is outside the embedding's {rows} rows.",
                        nameof(vocabulary));
                }

                var vector = new float[dimension];
                for (int i = 1; i <= dimension; i++)
                {
                    if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out vector[i - 1]) ||
                        !float.IsFinite(vector[i - 1]))
                    {
                        throw new FormatException($"{path} line {lineNumber}, value {i}: '{parts[i]}' is not a finite number.");
                    }
                }

                found[row] = vector;
            }
        }

        if (found.Count > 0)
        {
            // Rewrite the table on the CPU and copy it back once: exact values, one transfer, no per-row native calls.
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            foreach (Tensor weight in weights)
            {
                float[] table = TensorValues.ToArray<float>(weight.to(ScalarType.Float32));
                foreach ((long row, float[] vector) in found)
                {
                    vector.CopyTo(table, row * dimension);
                }

                weight.copy_(torch.tensor(table, [rows, dimension], device: weight.device));
            }
        }

        return new PretrainedVectorsReport(found.Count, vocabulary.Count, fileWords, dimension);
    }

    private static bool IsWord2VecHeader(string[] parts) =>
        parts.Length == 2 && long.TryParse(parts[0], out _) && long.TryParse(parts[1], out _);

    private static string? ReadLine(StreamReader reader, string path, int lineNumber)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException($"{path} line {lineNumber}: invalid UTF-8 ({e.Message}).", e);
        }
    }
}
