namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>A decoded WAV file: its samples mixed down to one channel, in [−1, 1] for integer PCM.</summary>
/// <param name="Samples">One value per sample frame: the mean of the frame's channels.</param>
/// <param name="SampleRate">Sample frames per second, as the file's header says.</param>
/// <param name="Channels">Channels in the file (before the mix-down).</param>
/// <param name="BitsPerSample">Bits of one stored sample (8, 16, 24, 32 or 64).</param>
/// <param name="IsFloat">True for IEEE float samples, false for integer PCM.</param>
internal sealed record WavAudio(float[] Samples, int SampleRate, int Channels, int BitsPerSample, bool IsFloat);
