using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>
/// An exponential moving average of the trainable parameters (Polyak averaging), updated after every optimiser step:
/// a ← a + (1 − d)(p − a), with d = min(decay, (1 + n) / (10 + n)) after n updates, so that early averages are not
/// dominated by the random initialisation. <see cref="Apply"/> swaps the averages into the model (for validation and
/// for the weights kept), and disposing its result swaps the trained values back.
/// </summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly Tensor[] _averages;
    private readonly double _decay;
    private long _updates;

    public WeightAverage(IEnumerable<TorchSharp.Modules.Parameter> parameters, double decay)
    {
        if (!(decay > 0 && decay < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The averaging decay must be in (0, 1).");
        }

        _decay = decay;
        _parameters = parameters.ToArray();
        using (no_grad())
        {
            _averages = _parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        }
    }

    /// <summary>Moves every average one step toward its parameter's current value.</summary>
    public void Update()
    {
        _updates++;
        double decay = Math.Min(_decay, (1.0 + _updates) / (10.0 + _updates));
        // An explicit Scalar, disposed here: TorchSharp's implicit conversions leave it to the finalizer.
        using Scalar keep = decay.ToScalar(), weight = (1 - decay).ToScalar();
        using (no_grad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                _averages[i].mul_(keep).add_(_parameters[i], weight);
            }
        }
    }

    /// <summary>Puts the averages into the model until the result is disposed (then the trained values return).</summary>
    public IDisposable Apply()
    {
        Tensor[] trained;
        using (no_grad())
        {
            trained = _parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
            CopyInto(_averages);
        }

        return new Restore(this, trained);
    }

    /// <summary>Puts the averages into the model for good (training is over).</summary>
    public void Keep()
    {
        using (no_grad())
        {
            CopyInto(_averages);
        }
    }

    public void Dispose()
    {
        foreach (Tensor average in _averages)
        {
            average.Dispose();
        }
    }

    private void CopyInto(Tensor[] values)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].copy_(values[i]);
        }
    }

    private sealed class Restore(WeightAverage owner, Tensor[] trained) : IDisposable
    {
        public void Dispose()
        {
            using (no_grad())
            {
                owner.CopyInto(trained);
            }

            foreach (Tensor t in trained)
            {
                t.Dispose();
            }
        }
    }
}
