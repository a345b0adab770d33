namespace Microsoft.ML.Sequence.Modules.Embeddings;

/// <summary>What <see cref="PretrainedEmbeddings.Load(string, IReadOnlyDictionary{string, long}, TorchSharp.Modules.Embedding)"/> found.</summary>
/// <param name="MatchedWords">Vocabulary words whose vectors were loaded (for a word listed twice, the last line wins).</param>
/// <param name="VocabularySize">Words in the vocabulary.</param>
/// <param name="FileWords">Vectors in the file.</param>
/// <param name="Dimension">Vector size.</param>
public sealed record PretrainedVectorsReport(int MatchedWords, int VocabularySize, long FileWords, int Dimension)
{
    /// <summary>Share of the vocabulary found in the file, in [0, 1].</summary>
    public double Coverage => VocabularySize == 0 ? 0 : (double)MatchedWords / VocabularySize;
}
