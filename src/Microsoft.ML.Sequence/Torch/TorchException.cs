namespace Microsoft.ML.Sequence.Torch;

/// <summary>An error reported by libtorch through the native shim.</summary>
/// <remarks>The first line of <see cref="Exception.Message"/> is libtorch's own text, without its C++ backtrace;
/// the last line names the native entry point. The shim caught the error, so the process and the thread stay usable.</remarks>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception for a failed native call.</summary>
    /// <param name="nativeMessage">libtorch's message.</param>
    /// <param name="export">Name of the native entry point that failed.</param>
    public TorchException(string nativeMessage, string export)
        : base($"{nativeMessage}{Environment.NewLine}(native call {export})")
    {
        NativeMessage = nativeMessage;
        Export = export;
    }

    /// <summary>libtorch's message as it was reported.</summary>
    public string NativeMessage { get; }

    /// <summary>Name of the native entry point that failed, e.g. <c>mls_tensor_matmul</c>.</summary>
    public string Export { get; }
}
