namespace Microsoft.ML.Sequence.Data.Synthetic;

/// <summary>One generated scene: its PNG file (relative to <see cref="SyntheticSceneSet.Folder"/>) and its reference
/// captions.</summary>
/// <param name="FileName">The PNG's file name inside the set's folder.</param>
/// <param name="Captions">Three to five reference captions, each from a different template.</param>
public sealed record SceneImage(string FileName, IReadOnlyList<string> Captions);
