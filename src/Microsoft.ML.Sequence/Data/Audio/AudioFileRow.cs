namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>One row's input to <c>LoadAudio</c>: the path as the column holds it, and the row, for messages.</summary>
/// <param name="Path">The path text of the row.</param>
/// <param name="Row">The row's position in its cursor (0-based), or −1 where unknown.</param>
internal sealed record AudioFileRow(string Path, long Row);
