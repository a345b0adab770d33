using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Microsoft.ML.Sequence.Cli.Tests;

[TestClass]
public sealed class InterruptCliTests
{
    [TestMethod]
    public void CtrlCStopsAfterTheCurrentBatchAndStillWritesTheBestModel()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Inconclusive("SIGINT is sent with kill(2).");
        }

        AllowSigintInChildren();
        using var files = new TestFiles();
        string dataset = files.SentimentTsv("reviews.tsv", perSource: 150), output = files.PathOf("out");
        using Process process = Mlseq.Start("train", "text-classification", "--dataset", dataset, "--max-epochs", "2000", "--patience", "5000", "--batch-size", "8", "--hidden-size", "16",
            "--embedding-size", "16", "--threads", "1", "--output", output);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var stdout = new System.Text.StringBuilder();
        bool sent = false;
        while (process.StandardOutput.ReadLine() is string line)
        {
            stdout.AppendLine(line);
            // After a whole epoch, Ctrl+C (SIGINT) early in the second (34 batches an epoch; no early stop can come first).
            if (!sent && line.StartsWith("  epoch 2/2000", StringComparison.Ordinal))
            {
                Assert.AreEqual(0, Kill(process.Id, 2), "kill(pid, SIGINT)");
                sent = true;
            }
        }

        Assert.IsTrue(process.WaitForExit(60_000));
        string log = stdout.ToString();
        Assert.IsTrue(sent, log);
        Assert.AreEqual(130, process.ExitCode, log + stderr.Result);
        StringAssert.Contains(log, "Ctrl+C: stopping after the current batch");
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        JsonElement history = metrics.RootElement.GetProperty("history");
        Assert.IsTrue(history.GetProperty("interrupted").GetBoolean());
        int epochs = history.GetProperty("epochs").GetArrayLength();
        Assert.IsTrue(epochs is >= 2 and < 2000, $"{epochs} epochs");
        Assert.IsTrue(File.Exists(Path.Combine(output, "model.zip")));
        Mlseq.Result predict = Mlseq.Run("predict", "--model", Path.Combine(output, "model.zip"), "--text", "lovely");
        Assert.AreEqual(0, predict.ExitCode, predict.ToString());
    }

    /// <summary>A test host started from a background job of a non-interactive shell (`cmd &amp;`, some CI runners)
    /// inherits SIGINT as ignored, and so would mlseq: an ignored signal stays ignored across fork and exec, and .NET then
    /// leaves it alone (as any Unix program should). Restore the default disposition, so the child sees Ctrl+C.</summary>
    private static void AllowSigintInChildren()
    {
        const string Status = "/proc/self/status";
        string? ignored = File.Exists(Status) ? File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        if (ignored is not null && (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & 0x2) != 0)
        {
            Signal(2, IntPtr.Zero);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
