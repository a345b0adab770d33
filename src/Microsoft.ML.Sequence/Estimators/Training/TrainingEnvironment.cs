using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.MlNet;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>What a trainer takes from its <c>MLContext</c> for one fit: a seed from the context's random stream, the
/// device chosen by <c>GpuDeviceId</c>/<c>FallbackToCpu</c>, and a channel into <c>mlContext.Log</c>.</summary>
internal sealed class TrainingEnvironment : IDisposable
{
    private TrainingEnvironment(int seed, Device device, MlNetLog log)
    {
        Seed = seed;
        Device = device;
        Log = log;
    }

    /// <summary>The fit's seed: the options' seed when set, else the next draw of the context's random stream (so two
    /// contexts made with the same seed fit identically).</summary>
    public int Seed { get; }

    /// <summary>Where the network trains.</summary>
    public Device Device { get; }

    /// <summary>The channel into <c>mlContext.Log</c>.</summary>
    public MlNetLog Log { get; }

    /// <summary>Opens the environment of one fit.</summary>
    /// <param name="environment">The context's environment.</param>
    /// <param name="component">The trainer's name (the log's source).</param>
    /// <param name="seed">The options' seed, or null to draw one from the context.</param>
    /// <returns>The environment; dispose it when the fit ends.</returns>
    /// <exception cref="InvalidOperationException">The context asks for a GPU that is not there and does not allow falling
    /// back to the CPU; the message names the device.</exception>
    public static TrainingEnvironment Open(IHostEnvironment environment, string component, int? seed)
    {
        ArgumentNullException.ThrowIfNull(environment);
        IHost host = environment.Register(component);
        var log = new MlNetLog(host, component);
        try
        {
            return new TrainingEnvironment(seed ?? host.Rand.Next(), SelectDevice(environment, log), log);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>The device for <c>GpuDeviceId</c>/<c>FallbackToCpu</c>, as ML.NET's own TorchSharp trainers choose it,
    /// but honouring the index.</summary>
    /// <param name="environment">The context's environment.</param>
    /// <param name="log">Where the fallback is reported.</param>
    /// <returns>The device.</returns>
    public static Device SelectDevice(IHostEnvironment environment, MlNetLog log)
    {
        (int? gpu, bool fallback) = MlNetInternals.GpuSettings(environment);
        if (gpu is not int index)
        {
            return CPU;
        }

        int count = cuda.is_available() ? cuda.device_count() : 0;
        if (index >= 0 && index < count)
        {
            return new Device(DeviceType.CUDA, index);
        }

        string why = count == 0
            ? "no CUDA device is available (the application references TorchSharp-cpu, or no GPU or driver is present)"
            : $"this machine has CUDA devices 0..{count - 1}";
        if (!fallback)
        {
            throw new InvalidOperationException(
                $"MLContext.GpuDeviceId is {index} (cuda:{index}), but {why}. Set MLContext.FallbackToCpu = true to use the CPU instead.");
        }

        log.Warning($"MLContext.GpuDeviceId is {index} (cuda:{index}), but {why}; using the CPU because MLContext.FallbackToCpu is set.");
        return CPU;
    }

    /// <summary>The device for a model loaded in <paramref name="environment"/>, a fallback logged under
    /// <paramref name="component"/>.</summary>
    /// <param name="environment">The loading context's environment.</param>
    /// <param name="component">The log's source.</param>
    /// <returns>The device.</returns>
    public static Device SelectDevice(IHostEnvironment environment, string component)
    {
        using var log = new MlNetLog(environment, component);
        return SelectDevice(environment, log);
    }

    /// <summary>Closes the log channel.</summary>
    public void Dispose() => Log.Dispose();
}
