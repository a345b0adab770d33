using System.CommandLine;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Cli.Commands;

// Inside Microsoft.ML.*, the name would find ML.NET\'s namespace Microsoft.ML.Command first.
using Command = System.CommandLine.Command;

/// <summary>Runs a command body and turns what it throws into one error line and an exit code: bad input (files,
/// columns, rows, models) exits 2, Ctrl+C's abort 130, anything else 1; the stack trace only with --verbose.</summary>
internal static class CommandRunner
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces and the trainers' log.", Recursive = true };

    public static void SetAction(Command command, Func<ParseResult, Terminal, int> body) =>
        command.SetAction(parse => Run(parse, body));

    private static int Run(ParseResult parse, Func<ParseResult, Terminal, int> body)
    {
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return body(parse, Terminal.Create(verbose));
        }
        catch (OperationCanceledException)
        {
            Terminal.Error("aborted by a second Ctrl+C: no model was written.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Terminal.Error(Message(e));
            if (verbose)
            {
                Console.Error.WriteLine(e);
            }

            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            Terminal.Error($"{e.GetType().Name}: {e.Message} (run with --verbose for the stack trace)");
            if (verbose)
            {
                Console.Error.WriteLine(e);
            }

            return ExitCodes.Failure;
        }
    }

    /// <summary>What the person at the terminal can fix: our messages, data and model files, and the column and value
    /// errors ML.NET and the trainers raise (they name the column or row).</summary>
    private static bool IsBadInput(Exception e) => e is CliException or DataFormatException or ModelFormatException or FileNotFoundException
        or DirectoryNotFoundException or UnauthorizedAccessException or ArgumentException or FormatException or InvalidDataException
        || (e is InvalidOperationException && e.Source is "Microsoft.ML.Data" or "Microsoft.ML.Core" or "Microsoft.ML.Sequence")
        || (e.InnerException is Exception inner && e is not OutOfMemoryException && IsBadInput(inner));

    private static string Message(Exception e) =>
        e is CliException or DataFormatException || e.InnerException is null ? e.Message : $"{e.Message} ({Message(e.InnerException)})";
}
