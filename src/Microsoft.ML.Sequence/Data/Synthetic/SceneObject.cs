namespace Microsoft.ML.Sequence.Data.Synthetic;

/// <summary>One object of a scene: its words and where it is drawn (centre and radius in pixels).</summary>
internal sealed record SceneObject(string Colour, string Shape, bool Large, float X, float Y, float Radius)
{
    public string SizeWord => Large ? "large" : "small";

    /// <summary>"small red circle" or, without the size, "red circle".</summary>
    public string Phrase(bool withSize) => withSize ? $"{SizeWord} {Colour} {Shape}" : $"{Colour} {Shape}";

    /// <summary>The phrase with its indefinite article ("a small red circle", "an orange star").</summary>
    public string WithArticle(bool withSize)
    {
        string phrase = Phrase(withSize);
        return ("aeiou".Contains(phrase[0]) ? "an " : "a ") + phrase;
    }
}
