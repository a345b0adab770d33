namespace Microsoft.ML.Sequence.Data.Synthetic;

/// <summary>The scenes of one <see cref="SyntheticScenes.Generate"/> call, by split, with the folder holding their PNGs.</summary>
/// <param name="Folder">The folder the PNGs (and the index <c>scenes.tsv</c>) are in.</param>
/// <param name="Train">Training scenes.</param>
/// <param name="Validation">Validation scenes (for early stopping; never the test splits).</param>
/// <param name="Test">Test scenes, same distribution as training.</param>
/// <param name="HeldOutComposition">Scenes with (colour, shape) pairs that never occur in the other splits.</param>
public sealed record SyntheticSceneSet(string Folder, IReadOnlyList<SceneImage> Train, IReadOnlyList<SceneImage> Validation,
    IReadOnlyList<SceneImage> Test, IReadOnlyList<SceneImage> HeldOutComposition);
