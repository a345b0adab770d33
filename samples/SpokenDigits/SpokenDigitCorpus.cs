using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

/// <summary>Synthesises spoken digit strings (3–8 digits) with Debian's espeak-ng in many voices, speeds and pitches,
/// converts them with sox to 16 kHz mono 16-bit WAV and writes one TSV manifest per split (AudioPath, Text, Voice, Speed,
/// Pitch). Splits: train and test use the training voices, validation <see cref="SpeechVoice.Validation"/> and heldout
/// <see cref="SpeechVoice.HeldOut"/>, voice sets no other split contains. Training utterances also get a random bass and
/// treble shelf (±6 dB each, sox <c>bass</c>/<c>treble</c>), a cheap stand-in for microphones and voice qualities
/// the synthesiser does not vary; the other splits are left as synthesised.</summary>
/// <remarks>Every utterance's text, voice, speed, pitch, word gap and shelves are drawn from the seed before any file is written,
/// and sox runs without dither, so a corpus is the same bytes on every run. The corpus lives in a folder named by a hash of
/// everything that shapes it (generator version, seed, sizes, voices, espeak-ng's version); a folder whose manifests are
/// all there is reused. Manifests are written last, so an interrupted run starts that corpus again.</remarks>
internal static class SpokenDigitCorpus
{
    private const string GeneratorVersion = "spoken-digits-2";

    /// <summary>The splits and their sizes.</summary>
    public static IReadOnlyList<(string Split, int Count)> Splits(int trainCount) =>
        [("train", trainCount), ("validation", 300), ("test", 400), ("heldout", 400)];

    /// <summary>The corpus folder for these settings, generated if missing.</summary>
    /// <param name="cacheRoot">Where corpora are kept (under artifacts/).</param>
    /// <param name="seed">The seed of every random choice.</param>
    /// <param name="trainCount">Training utterances.</param>
    /// <param name="workers">Parallel espeak-ng/sox processes.</param>
    /// <returns>The folder holding the WAV files and <c>&lt;split&gt;.tsv</c> manifests.</returns>
    public static string Ensure(string cacheRoot, int seed, int trainCount, int workers)
    {
        string espeakVersion = Run("espeak-ng", ["--version"]).Trim();
        var splits = Splits(trainCount);
        string key = string.Join("|", GeneratorVersion, seed, string.Join(",", splits), espeakVersion,
            string.Join(",", SpeechVoice.Training().Select(v => v.Name)), string.Join(",", SpeechVoice.Validation.Select(v => v.Name)),
            string.Join(",", SpeechVoice.HeldOut.Select(v => v.Name)));
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..10].ToLowerInvariant();
        string folder = Path.Combine(cacheRoot, $"seed{seed}-train{trainCount}-{hash}");
        if (splits.All(s => File.Exists(Path.Combine(folder, s.Split + ".tsv"))))
        {
            Console.WriteLine($"corpus: cached in {folder}");
            return folder;
        }

        CheckVoicesDiffer(folder);
        Console.WriteLine($"corpus: synthesising {splits.Sum(s => s.Count):N0} utterances with {espeakVersion.Split("  Data at:")[0].Trim()} and sox into {folder} ...");
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        SpeechVoice[] training = SpeechVoice.Training();
        foreach ((string split, int count) in splits)
        {
            SpeechVoice[] voices = split switch { "heldout" => SpeechVoice.HeldOut, "validation" => SpeechVoice.Validation, _ => training };
            Directory.CreateDirectory(Path.Combine(folder, split));
            Planned[] plan = Enumerable.Range(0, count).Select(i => Plan(random, voices, $"{split}/{split}-{i:D5}.wav", shelves: split == "train")).ToArray();
            Parallel.ForEach(plan, new ParallelOptions { MaxDegreeOfParallelism = workers }, p => Synthesise(folder, p));
            var manifest = new StringBuilder("AudioPath\tText\tVoice\tSpeed\tPitch\n");
            foreach (Planned p in plan)
            {
                manifest.Append(CultureInfo.InvariantCulture, $"{p.File}\t{p.Text}\t{p.Voice.Name}\t{p.Speed}\t{p.Pitch}\n");
            }

            File.WriteAllText(Path.Combine(folder, split + ".tsv"), manifest.ToString());
            Console.WriteLine($"  {split}: {count:N0} utterances, {voices.Length} voices");
        }

        Console.WriteLine($"corpus: done in {watch.Elapsed.TotalSeconds:0} s");
        return folder;
    }

    // espeak-ng falls back silently to another voice for a name it does not know (or a variant it ignores), so every
    // voice of every set speaks the same probe once: two identical recordings mean two names for one voice.
    private static void CheckVoicesDiffer(string folder)
    {
        Directory.CreateDirectory(folder);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (SpeechVoice voice in SpeechVoice.Training().Concat(SpeechVoice.Validation).Concat(SpeechVoice.HeldOut))
        {
            string probe = Path.Combine(folder, "voice-probe.wav");
            Run("espeak-ng", ["-v", voice.Name, "-w", probe, "1 2 3"]);
            string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(probe)));
            File.Delete(probe);
            if (!seen.TryAdd(hash, voice.Name))
            {
                throw new InvalidOperationException($"espeak-ng voices '{seen[hash]}' and '{voice.Name}' sound identical; one of the names is not taken as given.");
            }
        }
    }

    private static Planned Plan(Random random, SpeechVoice[] voices, string file, bool shelves)
    {
        int digits = random.Next(3, 9);
        string text = string.Join(" ", Enumerable.Range(0, digits).Select(_ => random.Next(10).ToString(CultureInfo.InvariantCulture)));
        SpeechVoice voice = voices[random.Next(voices.Length)];
        int speed = random.Next(130, 211), pitch = random.Next(25, 76), gap = random.Next(0, 4);
        (int Bass, int Treble) shelf = shelves ? (random.Next(-6, 7), random.Next(-6, 7)) : (0, 0);
        return new Planned(file, text, voice, speed, pitch, gap, shelf.Bass, shelf.Treble);
    }

    private static void Synthesise(string folder, Planned p)
    {
        string output = Path.Combine(folder, p.File);
        string raw = output + ".espeak.wav";
        // espeak-ng writes 22,050 Hz mono 16-bit; sox converts to 16 kHz without dither (-D), so the bytes repeat.
        Run("espeak-ng", ["-v", p.Voice.Name, "-s", Invariant(p.Speed), "-p", Invariant(p.Pitch), "-g", Invariant(p.Gap), "-w", raw, p.Text]);
        string[] effects = p.Bass == 0 && p.Treble == 0 ? []
            : ["gain", "-h", "bass", Invariant(p.Bass), "treble", Invariant(p.Treble), "gain", "-n", "-1"]; // headroom first, then peak −1 dB: no clipping
        Run("sox", ["-D", raw, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", output, .. effects]);
        File.Delete(raw);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }

        return stdout;
    }

    private sealed record Planned(string File, string Text, SpeechVoice Voice, int Speed, int Pitch, int Gap, int Bass, int Treble);
}
