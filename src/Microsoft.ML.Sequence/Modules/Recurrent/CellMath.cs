using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>One time step of the plain recurrences, written with matrix products and activations (never the fused
/// kernels). Shared by the public cells and by the per-step path of the built-in layers.</summary>
internal static class CellMath
{
    /// <summary>LSTM step, gates i, f, g, o: returns [h, c].</summary>
    public static Tensor[] Lstm(Tensor x, Tensor h, Tensor c, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh)
    {
        long hidden = h.shape[1];
        Tensor gates = nn.functional.linear(x, wIh, bIh) + nn.functional.linear(h, wHh, bHh);
        Tensor i = gates.narrow(1, 0, hidden).sigmoid();
        Tensor f = gates.narrow(1, hidden, hidden).sigmoid();
        Tensor g = gates.narrow(1, 2 * hidden, hidden).tanh();
        Tensor o = gates.narrow(1, 3 * hidden, hidden).sigmoid();
        Tensor cNext = f * c + i * g;
        return [o * cNext.tanh(), cNext];
    }

    /// <summary>GRU step in libtorch's reset-after form, gates r, z, n: returns [h].</summary>
    public static Tensor[] Gru(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh)
    {
        long hidden = h.shape[1];
        Tensor gi = nn.functional.linear(x, wIh, bIh);
        Tensor gh = nn.functional.linear(h, wHh, bHh);
        Tensor r = (gi.narrow(1, 0, hidden) + gh.narrow(1, 0, hidden)).sigmoid();
        Tensor z = (gi.narrow(1, hidden, hidden) + gh.narrow(1, hidden, hidden)).sigmoid();
        Tensor n = (gi.narrow(1, 2 * hidden, hidden) + r * gh.narrow(1, 2 * hidden, hidden)).tanh();
        return [n + z * (h - n)];
    }

    /// <summary>Elman step: returns [act(W_ih x + b_ih + W_hh h + b_hh)].</summary>
    public static Tensor[] Elman(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, ElmanNonlinearity nonlinearity)
    {
        Tensor pre = nn.functional.linear(x, wIh, bIh) + nn.functional.linear(h, wHh, bHh);
        return [nonlinearity == ElmanNonlinearity.Relu ? pre.relu() : pre.tanh()];
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
