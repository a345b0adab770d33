using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>LSTM over the sequence and a linear read-out of the last step: the model of python/worker.py, with the
/// same state-dictionary names (lstm.weight_ih_l0, …, head.bias).</summary>
internal sealed class LstmClassifier : Module
{
    private readonly Lstm _lstm;
    private readonly Linear _head;

    public LstmClassifier(int inputs, int hidden, int classes, RandomGenerator generator, RecurrentBackend backend = RecurrentBackend.Auto)
    {
        _lstm = RegisterModule("lstm", new Lstm(new RecurrentLayerOptions { InputSize = inputs, HiddenSize = hidden, Backend = backend }, generator));
        _head = RegisterModule("head", new Linear(hidden, classes, generator: generator));
    }

    public Tensor Forward(Tensor x)
    {
        RecurrentOutput output = _lstm.Forward(x);
        return _head.Forward(output.Output.Select(1, -1));
    }
}
