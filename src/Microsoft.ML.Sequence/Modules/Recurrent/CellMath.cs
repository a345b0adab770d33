using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>One time step of the plain recurrences, written with matrix products and activations (never the fused
/// kernels). Shared by the public cells and by the per-step path of the built-in layers.</summary>
internal static class CellMath
{
    /// <summary>LSTM step, gates i, f, g, o: returns [h, c].</summary>
    public static Tensor[] Lstm(Tensor x, Tensor h, Tensor c, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh)
    {
        long hidden = h.Size(1);
        Tensor gates = NeuralOps.Linear(x, wIh, bIh) + NeuralOps.Linear(h, wHh, bHh);
        Tensor i = gates.Narrow(1, 0, hidden).Sigmoid();
        Tensor f = gates.Narrow(1, hidden, hidden).Sigmoid();
        Tensor g = gates.Narrow(1, 2 * hidden, hidden).Tanh();
        Tensor o = gates.Narrow(1, 3 * hidden, hidden).Sigmoid();
        Tensor cNext = f * c + i * g;
        return [o * cNext.Tanh(), cNext];
    }

    /// <summary>GRU step in libtorch's reset-after form, gates r, z, n: returns [h].</summary>
    public static Tensor[] Gru(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh)
    {
        long hidden = h.Size(1);
        Tensor gi = NeuralOps.Linear(x, wIh, bIh);
        Tensor gh = NeuralOps.Linear(h, wHh, bHh);
        Tensor r = (gi.Narrow(1, 0, hidden) + gh.Narrow(1, 0, hidden)).Sigmoid();
        Tensor z = (gi.Narrow(1, hidden, hidden) + gh.Narrow(1, hidden, hidden)).Sigmoid();
        Tensor n = (gi.Narrow(1, 2 * hidden, hidden) + r * gh.Narrow(1, 2 * hidden, hidden)).Tanh();
        return [n + z * (h - n)];
    }

    /// <summary>Elman step: returns [act(W_ih x + b_ih + W_hh h + b_hh)].</summary>
    public static Tensor[] Elman(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, ElmanNonlinearity nonlinearity)
    {
        Tensor pre = NeuralOps.Linear(x, wIh, bIh) + NeuralOps.Linear(h, wHh, bHh);
        return [nonlinearity == ElmanNonlinearity.Relu ? pre.Relu() : pre.Tanh()];
    }

    /// <summary>Gate blocks per recurrence: 4 (LSTM), 3 (GRU), 1 (Elman).</summary>
    public static int GateCount(RecurrentMode mode) => mode switch
    {
        RecurrentMode.Lstm => 4,
        RecurrentMode.Gru => 3,
        RecurrentMode.RnnTanh or RecurrentMode.RnnRelu => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown recurrent mode."),
    };

    /// <summary>Runs one step of <paramref name="mode"/> on explicit weights.</summary>
    public static Tensor[] Step(RecurrentMode mode, Tensor x, IReadOnlyList<Tensor> state, Tensor wIh, Tensor wHh,
        Tensor? bIh, Tensor? bHh) => mode switch
    {
        RecurrentMode.Lstm => Lstm(x, state[0], state[1], wIh, wHh, bIh, bHh),
        RecurrentMode.Gru => Gru(x, state[0], wIh, wHh, bIh, bHh),
        RecurrentMode.RnnTanh => Elman(x, state[0], wIh, wHh, bIh, bHh, ElmanNonlinearity.Tanh),
        RecurrentMode.RnnRelu => Elman(x, state[0], wIh, wHh, bIh, bHh, ElmanNonlinearity.Relu),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown recurrent mode."),
    };
}
