using System.CommandLine;
using Microsoft.ML.Sequence.Cli;
using Microsoft.ML.Sequence.Cli.Commands;

// mlseq: train, evaluate, predict and codegen for Microsoft.ML.Sequence models from the terminal.
var root = new RootCommand("mlseq: recurrent sequence models for ML.NET from the terminal (Microsoft.ML.Sequence).")
{
    TrainCommand.Create(),
    ModelCommands.Evaluate(),
    ModelCommands.Predict(),
    ModelCommands.Codegen(),
};
root.Add(CommandRunner.Verbose);

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // A usage error is bad input too: one red line, exit 2 (System.CommandLine's own default would be 1).
    string command = string.Join(' ', parse.CommandResult.Command is { } c && c != root ? ["mlseq", .. Ancestors(parse)] : ["mlseq"]);
    Terminal.Error($"{parse.Errors[0].Message} (see {command} --help)");
    return ExitCodes.BadInput;
}

// Ctrl+C is ours (the trainers stop after the current batch), not System.CommandLine's process-termination handler.
return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });

static IEnumerable<string> Ancestors(ParseResult parse)
{
    var names = new Stack<string>();
    for (var result = parse.CommandResult; result?.Parent is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
    {
        names.Push(result.Command.Name);
    }

    return names;
}
