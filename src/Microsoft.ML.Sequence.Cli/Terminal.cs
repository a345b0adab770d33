using Spectre.Console;

namespace Microsoft.ML.Sequence.Cli;

/// <summary>Where mlseq writes: a Spectre console on stdout (live progress, colours and tables on a terminal; plain text
/// when stdout is redirected, as in CI), and single error lines on stderr (red on a terminal).</summary>
internal sealed class Terminal
{
    private Terminal(IAnsiConsole console, bool live, bool verbose)
    {
        Out = console;
        Live = live;
        Verbose = verbose;
    }

    public IAnsiConsole Out { get; }

    /// <summary>True on an interactive terminal: progress bars redraw in place; otherwise progress is plain lines.</summary>
    public bool Live { get; }

    public bool Verbose { get; }

    public static Terminal Create(bool verbose)
    {
        bool redirected = Console.IsOutputRedirected;
        var settings = new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) };
        if (redirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 })
        {
            settings.Ansi = AnsiSupport.No;
            settings.ColorSystem = ColorSystemSupport.NoColors;
            settings.Interactive = InteractionSupport.No;
        }

        IAnsiConsole console = AnsiConsole.Create(settings);
        if (redirected)
        {
            // A log has no width; Spectre would assume 80 columns and wrap the tables.
            console.Profile.Width = 160;
        }

        bool live = !redirected && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
        return new Terminal(console, live, verbose);
    }

    public void Line(string text = "") => Out.WriteLine(text);

    public void Markup(string markup) => Out.MarkupLine(markup);

    public void Note(string text) => Out.MarkupLine($"[grey]{Escape(text)}[/]");

    public void Warning(string text) => Out.MarkupLine($"[yellow]{Escape(text)}[/]");

    /// <summary>One line on stderr, red on a terminal; the message is folded onto one line.</summary>
    public static void Error(string message)
    {
        string line = "error: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Console.Error.WriteLine(Console.IsErrorRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 }
            ? line : $"\u001b[31m{line}\u001b[0m");
    }

    public static string Escape(string text) => Spectre.Console.Markup.Escape(text);
}
