using Microsoft.ML.Runtime;

namespace Microsoft.ML.Sequence.MlNet;

/// <summary>
/// Writes to <c>mlContext.Log</c>, the channel ML.NET users already watch, through public members only:
/// <c>((IHostEnvironment)mlContext).Register(component).Start(channel)</c> and <c>IChannel.Info/Warning/Trace</c>
/// with <see cref="MessageSensitivity.None"/> (nothing we write is user data).
/// </summary>
internal sealed class MlNetLog : IDisposable
{
    private readonly IChannel _channel;

    /// <summary>Opens a channel named after the component.</summary>
    /// <param name="environment">The ML.NET environment, usually the <c>MLContext</c>.</param>
    /// <param name="component">The component's name, shown as the message source.</param>
    public MlNetLog(IHostEnvironment environment, string component)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(component);
        _channel = environment.Register(component).Start(component);
    }

    /// <summary>Writes an informational message.</summary>
    /// <param name="message">The message.</param>
    public void Info(string message) => _channel.Info(MessageSensitivity.None, message);

    /// <summary>Writes a warning (for example a setting that has no effect, STYLE G6).</summary>
    /// <param name="message">The message.</param>
    public void Warning(string message) => _channel.Warning(MessageSensitivity.None, message);

    /// <summary>Writes a trace message (detail below <see cref="Info"/>).</summary>
    /// <param name="message">The message.</param>
    public void Trace(string message) => _channel.Trace(MessageSensitivity.None, message);

    /// <summary>Closes the channel.</summary>
    public void Dispose() => _channel.Dispose();
}
