namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>Settings of this run of the program: <c>--quick</c> cuts every row to few repetitions (a smoke test that
/// every row runs end to end; its figures are not for comparison).</summary>
internal static class BenchmarkRun
{
    public static bool Quick { get; set; }

    /// <summary>The repetition count of a row: <paramref name="full"/>, or <paramref name="quick"/> under <c>--quick</c>.</summary>
    public static int Count(int full, int quick) => Quick ? quick : full;

    /// <summary>The side that runs at position <paramref name="turn"/> of repetition <paramref name="repetition"/> when
    /// <paramref name="sides"/> sides take turns: the order rotates by one every repetition, so no side always runs
    /// first (on caches another side left, or cold).</summary>
    public static int Rotate(int turn, int repetition, int sides) => (turn + repetition) % sides;
}
