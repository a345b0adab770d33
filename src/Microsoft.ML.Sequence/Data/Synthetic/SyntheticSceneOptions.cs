using Microsoft.ML.Sequence.Modules;

namespace Microsoft.ML.Sequence.Data.Synthetic;

/// <summary>How many scenes <see cref="SyntheticScenes.Generate"/> renders, how large, and from which seed.</summary>
public sealed class SyntheticSceneOptions
{
    /// <summary>Width and height of each square image in pixels, from 32 to 512. Default: 64.</summary>
    public int ImageSize { get; set; } = 64;

    /// <summary>Training scenes, at least 1. Default: 5000.</summary>
    public int TrainCount { get; set; } = 5000;

    /// <summary>Validation scenes (same distribution as training), at least 0. Default: 500.</summary>
    public int ValidationCount { get; set; } = 500;

    /// <summary>Test scenes (same distribution as training), at least 0. Default: 500.</summary>
    public int TestCount { get; set; } = 500;

    /// <summary>Held-out composition scenes: each holds at least one object whose (colour, shape) pair never occurs in
    /// the other splits (<see cref="SyntheticScenes.HeldOutPairs"/>), at least 0. Default: 500.</summary>
    public int HeldOutCount { get; set; } = 500;

    /// <summary>Seed of every random choice (layout, colours, noise, captions). Default: 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        Arguments.Range(ImageSize, 32, 512, nameof(ImageSize));
        Arguments.Range(TrainCount, 1, int.MaxValue, nameof(TrainCount));
        Arguments.Range(ValidationCount, 0, int.MaxValue, nameof(ValidationCount));
        Arguments.Range(TestCount, 0, int.MaxValue, nameof(TestCount));
        Arguments.Range(HeldOutCount, 0, int.MaxValue, nameof(HeldOutCount));
    }

    internal string Signature => FormattableString.Invariant(
        $"scenes-v1 size={ImageSize} train={TrainCount} validation={ValidationCount} test={TestCount} heldout={HeldOutCount} seed={Seed}");
}
