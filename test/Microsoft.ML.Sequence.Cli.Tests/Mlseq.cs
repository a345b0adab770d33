using System.Diagnostics;

namespace Microsoft.ML.Sequence.Cli.Tests;

/// <summary>Runs the built mlseq tool as a child process (stdout and stderr redirected, so it prints plain lines).</summary>
internal static class Mlseq
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The tool built in the same configuration as these tests (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string ToolPath { get; } = Path.Combine(RepoRoot, "src", "Microsoft.ML.Sequence.Cli", "bin", Configuration(), "net10.0", "mlseq.dll");

    public static Result Run(params string[] args) => Run(TimeSpan.FromSeconds(120), args);

    public static Result Run(TimeSpan timeout, params string[] args)
    {
        using Process process = Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mlseq {string.Join(' ', args)} ran longer than {timeout}.");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Process Start(params string[] args)
    {
        Assert.IsTrue(File.Exists(ToolPath), $"mlseq is not built at {ToolPath}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ToolPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // One thread each: tests run side by side on a small machine.
        info.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static string Configuration()
    {
        string[] parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        int bin = Array.LastIndexOf(parts, "bin");
        return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Release";
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SequenceML.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SequenceML.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>What a run printed and returned.</summary>
    internal sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }
}
