using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>The PyTorch side of a benchmark: python/worker.py under Debian's /usr/bin/python3, one JSON request and
/// reply per line, kept running so its timings are as warm as ours.</summary>
internal sealed class PythonWorker : IDisposable
{
    // The python3 on PATH may be another interpreter without torch; Debian's python3-torch lives under /usr/bin.
    private const string Interpreter = "/usr/bin/python3";
    private readonly Process _process;

    public PythonWorker()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "python", "worker.py");
        var start = new ProcessStartInfo(Interpreter, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Interpreter} {script}");
    }

    public JsonNode Request(object request)
    {
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        _process.StandardInput.Flush();
        string? line = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException("The PyTorch worker exited; see its error output above.");
        JsonNode reply = JsonNode.Parse(line)!;
        if (reply["error"] is JsonNode error)
        {
            throw new InvalidOperationException($"PyTorch worker: {error}");
        }

        return reply;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("{\"command\": \"quit\"}");
            _process.StandardInput.Flush();
            _process.WaitForExit(5000);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
