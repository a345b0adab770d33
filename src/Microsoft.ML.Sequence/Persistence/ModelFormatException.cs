namespace Microsoft.ML.Sequence.Persistence;

/// <summary>A model or safetensors file is truncated, forged, from a newer format version, or inconsistent with itself
/// (tensor shapes, offsets, unknown components). The message names the file and what is wrong.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file where known.</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that revealed the problem.</summary>
    /// <param name="message">What is wrong, naming the file where known.</param>
    /// <param name="innerException">The underlying error.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
