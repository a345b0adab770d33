using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>LSTM over the sequence and a linear read-out of the last step: the model of python/worker.py, with the
/// same state-dictionary names (lstm.weight_ih_l0, …, head.bias). The recurrent part is either our
/// <see cref="Lstm"/> layer or, as a reference, TorchSharp's plain <c>nn.LSTM</c> (what a .NET user writes by hand).</summary>
internal sealed class LstmClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Lstm? _lstm;
    private readonly TorchSharp.Modules.LSTM? _plain;
    private readonly TorchSharp.Modules.Linear _head;

    public LstmClassifier(int inputs, int hidden, int classes, Generator generator, bool plainTorchSharp = false)
        : base(nameof(LstmClassifier))
    {
        if (plainTorchSharp)
        {
            _plain = nn.LSTM(inputs, hidden, batchFirst: true);
            register_module("lstm", _plain);
        }
        else
        {
            _lstm = new Lstm(new RecurrentLayerOptions { InputSize = inputs, HiddenSize = hidden }, generator);
            register_module("lstm", _lstm);
        }

        _head = Initialization.Linear(hidden, classes, bias: true, generator);
        register_module("head", _head);
    }

    public override Tensor forward(Tensor x)
    {
        Tensor output = _lstm is not null ? _lstm.Forward(x).Output : _plain!.call(x).Item1;
        return _head.call(output.select(1, -1));
    }
}
