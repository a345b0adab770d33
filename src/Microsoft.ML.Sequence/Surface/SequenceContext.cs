using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence;

/// <summary>The entry point, like ML.NET's context object: one seed, one device, a log, cancellation, and catalogs of
/// operations (<see cref="Data"/>, <see cref="Transforms"/>, <see cref="Model"/>, and task catalogs added by extension).</summary>
/// <remarks>
/// <para>Determinism: every random choice (shuffling, bucket order, initialisation, dropout) draws its seed from
/// <see cref="NextSeed"/>, a stream derived from <see cref="Seed"/>; no global generator is touched. Two contexts with the
/// same seed that perform the same calls in the same order make the same choices.</para>
/// <para>Task catalogs (text classification, sequence tagging, …) are added without editing this class: an extension
/// property returns <c>context.GetCatalog(c =&gt; new MyTaskCatalog(c))</c>, which creates the catalog once per context.</para>
/// </remarks>
public sealed class SequenceContext
{
    private readonly object _gate = new();
    private readonly Random _seeds;
    private readonly Dictionary<Type, object> _catalogs = new();
    private Device _device = CPU;

    /// <summary>Creates a context.</summary>
    /// <param name="seed">Seed for every random choice, or null to draw one (runs then differ). Default: null.</param>
    public SequenceContext(int? seed = null)
    {
        IsSeeded = seed is not null;
        Seed = seed ?? Random.Shared.Next();
        _seeds = new Random(Seed);
        Data = new SequenceDataCatalog(this);
        Transforms = new SequenceTransformsCatalog(this);
        Model = new SequenceModelCatalog(this);
    }

    /// <summary>The seed every random choice derives from.</summary>
    public int Seed { get; }

    /// <summary>True when the seed was given (runs are repeatable); false when it was drawn.</summary>
    public bool IsSeeded { get; }

    /// <summary>Device for models and tensors: the CPU or a CUDA GPU by index. Default: CPU.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A CUDA device whose index this machine does not have.</exception>
    public Device Device
    {
        get => _device;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.type == DeviceType.CUDA && value.index >= cuda.device_count())
            {
                throw new ArgumentOutOfRangeException(nameof(value), value.ToString(),
                    $"GPU {value.index} requested but this machine has {cuda.device_count()} CUDA device(s) available to libtorch.");
            }

            _device = value;
        }
    }

    /// <summary>Cancels long operations started through this context (fitting, caching). Default: none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Loading, viewing, splitting and batching data.</summary>
    public SequenceDataCatalog Data { get; }

    /// <summary>Text transforms: normalisation, tokenisation, value-to-key and key-to-value.</summary>
    public SequenceTransformsCatalog Transforms { get; }

    /// <summary>Saving, loading and predicting with models.</summary>
    public SequenceModelCatalog Model { get; }

    /// <summary>Messages from components (progress, warnings such as settings with no effect).</summary>
    public event EventHandler<SequenceLogEventArgs>? Log;

    /// <summary>The next seed of the context's stream (thread-safe): what a component uses to seed its own generator.</summary>
    /// <returns>A seed.</returns>
    public int NextSeed()
    {
        lock (_gate)
        {
            return _seeds.Next();
        }
    }

    /// <summary>A libtorch generator seeded from <see cref="NextSeed"/>, for initialisation and dropout.</summary>
    /// <param name="device">Device of the generator, or null for <see cref="Device"/>. Default: null.</param>
    /// <returns>A new generator; the caller disposes it.</returns>
    public Generator CreateGenerator(Device? device = null) => new((ulong)(uint)NextSeed(), device ?? Device);

    /// <summary>Raises <see cref="Log"/>.</summary>
    /// <param name="level">Severity.</param>
    /// <param name="source">Component writing the message.</param>
    /// <param name="message">The text.</param>
    public void WriteLog(SequenceLogLevel level, string source, string message) =>
        Log?.Invoke(this, new SequenceLogEventArgs(level, source, message));

    /// <summary>The catalog of type <typeparamref name="TCatalog"/> for this context, created once by
    /// <paramref name="factory"/>: the seam through which task libraries add catalogs.</summary>
    /// <typeparam name="TCatalog">Catalog type.</typeparam>
    /// <param name="factory">Creates the catalog the first time.</param>
    /// <returns>The catalog.</returns>
    public TCatalog GetCatalog<TCatalog>(Func<SequenceContext, TCatalog> factory)
        where TCatalog : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (_gate)
        {
            if (!_catalogs.TryGetValue(typeof(TCatalog), out object? catalog))
            {
                catalog = factory(this) ?? throw new InvalidOperationException($"The factory for {typeof(TCatalog).Name} returned null.");
                _catalogs.Add(typeof(TCatalog), catalog);
            }

            return (TCatalog)catalog;
        }
    }
}
