namespace Microsoft.ML.Sequence.Data.Synthetic;

/// <summary>The caption templates of the synthetic scenes: for each layout (one object; two objects side by side or one
/// above the other; three in a row) five templates that name every object, with and without sizes and with synonymous
/// relations ("above"/"over", "below"/"under", "left of"/"to the left of").</summary>
internal static class SceneCaptions
{
    /// <summary>3 to 5 captions from different templates, drawn with <paramref name="random"/>.</summary>
    public static string[] For(IReadOnlyList<SceneObject> objects, bool vertical, Random random)
    {
        List<string> all = Templates(objects, vertical);
        int count = random.Next(3, 6);
        string[] shuffled = all.ToArray();
        random.Shuffle(shuffled);
        return shuffled[..Math.Min(count, shuffled.Length)];
    }

    private static List<string> Templates(IReadOnlyList<SceneObject> o, bool vertical)
    {
        switch (o.Count)
        {
            case 1:
                return
                [
                    o[0].WithArticle(true),
                    $"there is {o[0].WithArticle(true)}",
                    $"a picture of {o[0].WithArticle(true)}",
                    $"{o[0].WithArticle(false)}",
                    $"one {o[0].Phrase(true)} on a noisy background",
                ];
            case 2:
                // o[0] is left of / above o[1].
                (string rel, string relAlt, string inv, string invAlt) = vertical
                    ? ("above", "over", "below", "under")
                    : ("left of", "to the left of", "right of", "to the right of");
                return
                [
                    $"{o[0].WithArticle(true)} {rel} {o[1].WithArticle(true)}",
                    $"{o[1].WithArticle(true)} {inv} {o[0].WithArticle(true)}",
                    $"there is {o[0].WithArticle(true)} {relAlt} {o[1].WithArticle(true)}",
                    $"{o[0].WithArticle(false)} {rel} {o[1].WithArticle(false)}",
                    $"{o[1].WithArticle(true)} {invAlt} {o[0].WithArticle(true)}",
                ];
            default:
                return
                [
                    $"{o[0].WithArticle(true)} , {o[1].WithArticle(true)} and {o[2].WithArticle(true)}",
                    $"from left to right {o[0].WithArticle(true)} , {o[1].WithArticle(true)} and {o[2].WithArticle(true)}",
                    $"three shapes : {o[0].WithArticle(true)} , {o[1].WithArticle(true)} and {o[2].WithArticle(true)}",
                    $"{o[0].WithArticle(false)} , {o[1].WithArticle(false)} and {o[2].WithArticle(false)}",
                    $"{o[0].WithArticle(true)} left of {o[1].WithArticle(true)} and {o[2].WithArticle(true)}",
                ];
        }
    }
}
