using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>A character n-gram language model over lines of text, for CTC prefix beam search
/// (<see cref="CtcPrefixBeamDecoder"/>) and for scoring text.</summary>
/// <remarks>
/// <para>A line is a sequence of characters (UTF-16 code units) followed by an end-of-line symbol; before its first
/// character stand n - 1 sentence-start symbols, so the first characters are predicted from "start of line". The
/// vocabulary is every character of the training lines, one unknown symbol (every other character maps to it) and the
/// end of line: for any history, <see cref="LogProbability(ReadOnlySpan{char}, char)"/> over the vocabulary characters and the unknown symbol,
/// plus <see cref="EndOfLineLogProbability"/>, sums to 1 (exp of the logs).</para>
/// <para>Probabilities are natural logarithms. The model is immutable after training or loading, so one instance can
/// serve any number of threads.</para>
/// <para><see cref="Save"/> writes a versioned binary format with a SHA-256 checksum; <see cref="Load"/> rejects
/// truncated, corrupt, newer-version or inconsistent data with a <see cref="Persistence.ModelFormatException"/>.</para>
/// </remarks>
public sealed class CharacterLanguageModel
{
    private readonly Dictionary<string, CharacterContext>[] _tables;
    private readonly Dictionary<string, CharacterContext>.AlternateLookup<ReadOnlySpan<char>>[] _lookups;

    internal CharacterLanguageModel(CharacterLanguageModelOptions options, string characters, Dictionary<string, CharacterContext>[] tables)
    {
        Order = options.Order;
        Smoothing = options.Smoothing;
        AddKCount = options.AddKCount;
        Discount = options.Discount;
        Characters = characters;
        _tables = tables;
        _lookups = tables.Select(t => t.GetAlternateLookup<ReadOnlySpan<char>>()).ToArray();
    }

    /// <summary>The n of the n-grams (see <see cref="CharacterLanguageModelOptions.Order"/>).</summary>
    public int Order { get; }

    /// <summary>The smoothing it was trained with.</summary>
    public LanguageModelSmoothing Smoothing { get; }

    /// <summary>The k of add-k smoothing (used when <see cref="Smoothing"/> is <see cref="LanguageModelSmoothing.AddK"/>).</summary>
    public double AddKCount { get; }

    /// <summary>The Kneser–Ney discount (used when <see cref="Smoothing"/> is <see cref="LanguageModelSmoothing.KneserNey"/>).</summary>
    public double Discount { get; }

    /// <summary>The characters seen in training, each once, in ordinal order.</summary>
    public string Characters { get; }

    /// <summary>Number of symbols a prediction is over: <see cref="Characters"/>, the unknown symbol and the end of line.</summary>
    public int VocabularySize => Characters.Length + CharacterNgramCounter.FirstCharacter;

    /// <summary>The tables, for the saved format: index m - 1 holds the histories of length m - 1.</summary>
    internal IReadOnlyList<Dictionary<string, CharacterContext>> Tables => _tables;

    /// <summary>Trains a model on lines of text.</summary>
    /// <param name="lines">The training lines; empty lines are skipped (they carry no characters).</param>
    /// <param name="options">Order and smoothing; null for the defaults. Not modified.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> or one of its lines is null.</exception>
    /// <exception cref="ArgumentException">There is no non-empty line, or more than 65,533 different characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static CharacterLanguageModel Train(IEnumerable<string> lines, CharacterLanguageModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        CharacterLanguageModelOptions settings = options?.Clone() ?? new CharacterLanguageModelOptions();
        settings.Validate();
        var kept = new List<string>();
        var characters = new HashSet<char>();
        long row = 0;
        foreach (string line in lines)
        {
            if (line is null)
            {
                throw new ArgumentNullException(nameof(lines), $"Line {row} is null.");
            }

            if (line.Length > 0)
            {
                kept.Add(line);
                characters.UnionWith(line);
            }

            row++;
        }

        if (kept.Count == 0)
        {
            throw new ArgumentException($"A character language model needs at least one non-empty line; got {row} lines, all empty.", nameof(lines));
        }

        if (characters.Count > char.MaxValue - CharacterNgramCounter.FirstCharacter)
        {
            // Symbols are stored as UTF-16 code units next to the start/end and unknown symbols.
            throw new ArgumentException(
                $"The lines hold {characters.Count} different characters; a character language model holds at most {char.MaxValue - CharacterNgramCounter.FirstCharacter}.",
                nameof(lines));
        }

        var sorted = characters.ToArray();
        Array.Sort(sorted);
        string alphabet = new(sorted);
        Dictionary<string, long>[] counts = CharacterNgramCounter.Count(kept, alphabet, settings.Order);
        return new CharacterLanguageModel(settings, alphabet, CharacterNgramCounter.Tables(counts, settings.Smoothing));
    }

    /// <summary>Trains a model on the lines of a UTF-8 text file (line ends removed; empty lines skipped).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Order and smoothing; null for the defaults. Not modified.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The file has no non-empty line (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static CharacterLanguageModel TrainFromFile(string path, CharacterLanguageModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The language-model text file '{Path.GetFullPath(path)}' does not exist.", path);
        }

        try
        {
            return Train(File.ReadLines(path, Encoding.UTF8), options);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException && e.ParamName == "lines")
        {
            throw new ArgumentException($"'{Path.GetFullPath(path)}': {e.Message}", nameof(path), e);
        }
    }

    /// <summary>Trains a model on a text column of an <see cref="IDataView"/> (one line per row; missing or empty values
    /// skipped), e.g. the label column of a recogniser's training data.</summary>
    /// <param name="data">The data.</param>
    /// <param name="textColumnName">A column of type String. Default: <c>Text</c>.</param>
    /// <param name="options">Order and smoothing; null for the defaults. Not modified.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing (the message lists the columns there are)
    /// or not text, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The column holds no non-empty text.</exception>
    public static CharacterLanguageModel Train(IDataView data, string textColumnName = "Text", CharacterLanguageModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(textColumnName);
        const string component = nameof(CharacterLanguageModel);
        DataViewSchema.Column column = InputColumns.Find(data.Schema, textColumnName, "text", component);
        if (column.Type is not TextDataViewType)
        {
            throw InputColumns.Mismatch(textColumnName, "text", component, "String", InputColumns.Shape(column.Type));
        }

        var lines = new List<string>();
        using (DataViewRowCursor cursor = data.GetRowCursor([column]))
        {
            ValueGetter<ReadOnlyMemory<char>> getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                lines.Add(value.ToString());
            }
        }

        try
        {
            return Train(lines, options);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException && e.ParamName == "lines")
        {
            throw new ArgumentException($"Column '{textColumnName}': {e.Message}", nameof(data), e);
        }
    }

    /// <summary>The log-probability that <paramref name="next"/> follows <paramref name="history"/> in a line.</summary>
    /// <param name="history">The line so far (the model reads its last n - 1 characters; fewer are padded with
    /// sentence-start symbols, so an empty history means the start of a line).</param>
    /// <param name="next">The next character; one outside <see cref="Characters"/> gets the unknown symbol's probability.</param>
    /// <returns>A natural logarithm, below 0.</returns>
    public double LogProbability(ReadOnlySpan<char> history, char next) =>
        LogProbability(Contexts(history), CharacterNgramCounter.Encode(Characters, next));

    /// <summary>The log-probability that the line ends after <paramref name="history"/>.</summary>
    /// <param name="history">The whole line.</param>
    /// <returns>A natural logarithm, below 0.</returns>
    public double EndOfLineLogProbability(ReadOnlySpan<char> history) =>
        LogProbability(Contexts(history), CharacterNgramCounter.Boundary);

    /// <summary>The log-probability of a whole line: each character given the ones before it, then the end of line.</summary>
    /// <param name="line">The line.</param>
    /// <returns>A natural logarithm.</returns>
    public double LineLogProbability(ReadOnlySpan<char> line)
    {
        double sum = 0;
        for (int i = 0; i < line.Length; i++)
        {
            sum += LogProbability(line[..i], line[i]);
        }

        return sum + EndOfLineLogProbability(line);
    }

    /// <summary>Per-symbol perplexity on lines: exp(−Σ log P / N), where the sum runs over every character and every
    /// end of line, and N counts them; lower is better. Use it on a validation split to choose
    /// <see cref="CharacterLanguageModelOptions.Order"/> and the smoothing.</summary>
    /// <param name="lines">The lines (empty lines count their end of line only).</param>
    /// <returns>The perplexity, at least 1.</returns>
    /// <exception cref="ArgumentException">There are no lines.</exception>
    public double Perplexity(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        double sum = 0;
        long symbols = 0;
        foreach (string line in lines)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(lines));
            sum += LineLogProbability(line);
            symbols += line.Length + 1;
        }

        if (symbols == 0)
        {
            throw new ArgumentException("Perplexity needs at least one line.", nameof(lines));
        }

        return Math.Exp(-sum / symbols);
    }

    /// <summary>Writes the model to <paramref name="stream"/> (versioned binary with a checksum).</summary>
    /// <param name="stream">A writable stream; left open.</param>
    public void Save(Stream stream) => CharacterLanguageModelFormat.Write(this, stream);

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <param name="stream">A readable stream positioned at the model; left open.</param>
    /// <returns>The model.</returns>
    /// <exception cref="Persistence.ModelFormatException">The data is not a model, is truncated or corrupt, comes from
    /// a newer format version, or is inconsistent.</exception>
    public static CharacterLanguageModel Load(Stream stream) => CharacterLanguageModelFormat.Read(stream, "stream");

    /// <summary>The symbol index of <paramref name="c"/> (2 + its place in <see cref="Characters"/>, or 1, unknown);
    /// index 0 is the end of line.</summary>
    internal int SymbolOf(char c) => CharacterNgramCounter.Encode(Characters, c);

    /// <summary>What the model knows about <paramref name="history"/>: for each order m (index m - 1), the table entry
    /// of the history's last m - 1 symbols, or null when training never saw them. A decoder keeps this per prefix and
    /// asks <see cref="LogProbability(CharacterContext?[], int)"/> for each symbol it tries.</summary>
    internal CharacterContext?[] Contexts(ReadOnlySpan<char> history)
    {
        Span<char> context = stackalloc char[Order - 1];
        Context(history, context);
        return SymbolContexts(context);
    }

    /// <summary><see cref="Contexts"/> of a history already written as its last n - 1 symbols (start symbols, 0, where
    /// the line is shorter; see <see cref="SymbolOf"/>).</summary>
    internal CharacterContext?[] SymbolContexts(ReadOnlySpan<char> context)
    {
        var found = new CharacterContext?[Order];
        for (int m = 1; m <= Order; m++)
        {
            found[m - 1] = _lookups[m - 1].TryGetValue(context[(Order - m)..], out CharacterContext? node) ? node : null;
        }

        return found;
    }

    /// <summary>log P(symbol | history) from the history's <see cref="Contexts"/>; symbol 0 is the end of line, 1 the
    /// unknown character, 2 + i character i of <see cref="Characters"/>.</summary>
    internal double LogProbability(CharacterContext?[] contexts, int symbol) => Math.Log(Probability(contexts, symbol));

    /// <summary>Writes P(symbol | history) for every symbol (see <see cref="SymbolOf"/>) into
    /// <paramref name="probabilities"/> (length <see cref="VocabularySize"/>), from the history's <see cref="Contexts"/>:
    /// the same numbers as <see cref="LogProbability(CharacterContext?[], int)"/>, for all symbols at once.</summary>
    internal void Distribution(CharacterContext?[] contexts, Span<double> probabilities)
    {
        int size = VocabularySize;
        if (Smoothing == LanguageModelSmoothing.AddK)
        {
            CharacterContext? seen = LongestSeen(contexts);
            double denominator = (seen?.Total ?? 0) + AddKCount * size;
            probabilities.Fill(AddKCount / denominator);
            if (seen is not null)
            {
                for (int j = 0; j < seen.Successors.Length; j++)
                {
                    probabilities[seen.Successors[j]] = (seen.Counts[j] + AddKCount) / denominator;
                }
            }

            return;
        }

        // The interpolation unrolled from the highest order down: order m's discounted counts enter with weight
        // W_m, the product of the backoff weights D · distinct / total of the seen histories above it (W_n = 1), and
        // the uniform distribution with the product of all of them. Only the successors seen at each order are
        // touched, so this costs one pass over the vocabulary plus the successor lists.
        double weight = 1;
        probabilities.Clear();
        for (int m = contexts.Length; m >= 1; m--)
        {
            if (contexts[m - 1] is not { } node)
            {
                continue;
            }

            double total = node.Total;
            for (int j = 0; j < node.Successors.Length; j++)
            {
                probabilities[node.Successors[j]] += weight * (node.Counts[j] - Discount) / total;
            }

            weight *= Discount * node.Successors.Length / total;
        }

        double uniform = weight / size;
        for (int s = 0; s < size; s++)
        {
            probabilities[s] += uniform;
        }
    }

    private static CharacterContext? LongestSeen(CharacterContext?[] contexts)
    {
        for (int m = contexts.Length; m >= 1; m--)
        {
            if (contexts[m - 1] is { } seen)
            {
                return seen;
            }
        }

        return null;
    }

    private double Probability(CharacterContext?[] contexts, int symbol)
    {
        if (Smoothing == LanguageModelSmoothing.AddK)
        {
            CharacterContext? seen = LongestSeen(contexts);
            return ((seen?.CountOf(symbol) ?? 0) + AddKCount) / ((seen?.Total ?? 0) + AddKCount * VocabularySize);
        }

        // Interpolated Kneser–Ney, from the uniform distribution up: each seen history keeps (count − D) / total of its
        // own counts and hands D · (distinct successors) / total to the estimate of the order below.
        double p = 1.0 / VocabularySize;
        foreach (CharacterContext? node in contexts)
        {
            if (node is not null)
            {
                long count = node.CountOf(symbol);
                p = Discount * node.Successors.Length / node.Total * p + (count > 0 ? (count - Discount) / node.Total : 0);
            }
        }

        return p;
    }

    /// <summary>The last n - 1 symbols of the padded history.</summary>
    private void Context(ReadOnlySpan<char> history, Span<char> context)
    {
        int width = context.Length;
        for (int i = 0; i < width; i++)
        {
            int at = history.Length - width + i;
            context[i] = at < 0 ? CharacterNgramCounter.Boundary : CharacterNgramCounter.Encode(Characters, history[at]);
        }
    }
}
