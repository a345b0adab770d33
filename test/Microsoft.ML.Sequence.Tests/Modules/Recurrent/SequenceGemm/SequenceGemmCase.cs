using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent.SequenceGemm;

/// <summary>One float64 recurrent configuration with seeded weights, inputs and states, run two ways: TorchSharp's own
/// <c>nn.LSTM</c> / <c>nn.GRU</c> on <c>pack_padded_sequence(enforce_sorted: false)</c> data, and
/// <see cref="SequenceGemmKernel"/> stacked layer by layer and direction by direction. Both return the values
/// (output, h_n, c_n) and the gradients of every leaf under one loss that weights every element differently.</summary>
internal sealed class SequenceGemmCase
{
    private readonly Dictionary<string, double[]> _weights = [];
    private readonly Dictionary<string, long[]> _shapes = [];
    private readonly double[] _input, _h0, _c0;
    private readonly long _seed;

    public SequenceGemmCase(RecurrentMode mode, long[] lengths, int steps, int features, int hidden, int layers,
        bool bidirectional, bool biases = true, bool initialState = true, long seed = 7)
    {
        Mode = mode;
        Lengths = lengths;
        Steps = steps;
        Features = features;
        Hidden = hidden;
        Layers = layers;
        Directions = bidirectional ? 2 : 1;
        Biases = biases;
        InitialState = initialState;
        _seed = seed;
        using var scope = torch.NewDisposeScope();
        var generator = new Generator((ulong)seed);
        int gates = mode == RecurrentMode.Lstm ? 4 : 3;
        foreach (string name in ParameterNames())
        {
            int layer = int.Parse(name.Split("_l")[1].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture);
            long inWidth = layer == 0 ? features : Directions * hidden;
            long[] shape = name.StartsWith("weight_ih", StringComparison.Ordinal) ? [gates * hidden, inWidth]
                : name.StartsWith("weight_hh", StringComparison.Ordinal) ? [gates * hidden, hidden] : [gates * hidden];
            _shapes[name] = shape;
            _weights[name] = Uniform(shape, 0.6, generator);
        }

        _input = Uniform([Batch, steps, features], 1, generator);
        _h0 = Uniform([layers * Directions, Batch, hidden], 0.8, generator);
        _c0 = Uniform([layers * Directions, Batch, hidden], 0.8, generator);
    }

    public RecurrentMode Mode { get; }
    public long[] Lengths { get; }
    public long Batch => Lengths.Length;
    public int Steps { get; }
    public int Features { get; }
    public int Hidden { get; }
    public int Layers { get; }
    public int Directions { get; }
    public bool Biases { get; }
    public bool InitialState { get; }
    private bool IsLstm => Mode == RecurrentMode.Lstm;

    /// <summary>PyTorch's parameter names in registration order.</summary>
    public IEnumerable<string> ParameterNames()
    {
        for (int layer = 0; layer < Layers; layer++)
        {
            for (int direction = 0; direction < Directions; direction++)
            {
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                yield return "weight_ih" + suffix;
                yield return "weight_hh" + suffix;
                if (Biases)
                {
                    yield return "bias_ih" + suffix;
                    yield return "bias_hh" + suffix;
                }
            }
        }
    }

    /// <summary>Values (output, h_n, c_n) and gradients (input, each parameter in <see cref="ParameterNames"/> order,
    /// h0, c0) from TorchSharp's module on packed data.</summary>
    public (double[][] Values, double[][] Gradients) RunTorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        using nn.Module module = IsLstm
            ? nn.LSTM(Features, Hidden, Layers, Biases, batchFirst: true, bidirectional: Directions == 2, dtype: ScalarType.Float64)
            : nn.GRU(Features, Hidden, Layers, Biases, batchFirst: true, bidirectional: Directions == 2, dtype: ScalarType.Float64);
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        {
            foreach (string name in ParameterNames())
            {
                parameters[name].copy_(Tensor(_weights[name], _shapes[name]));
            }
        }

        (Tensor input, Tensor h0, Tensor c0) = Leaves();
        var packed = nn.utils.rnn.pack_padded_sequence(input, torch.tensor(Lengths), batch_first: true, enforce_sorted: false);
        Tensor? hInit = InitialState ? h0 : null;
        Tensor output, hN, cN = null!;
        if (module is LSTM lstm)
        {
            (var o, hN, cN) = lstm.call(packed, InitialState ? (h0, c0) : null);
            output = nn.utils.rnn.pad_packed_sequence(o, batch_first: true, total_length: Steps).Item1;
        }
        else
        {
            (var o, hN) = ((GRU)module).call(packed, hInit!);
            output = nn.utils.rnn.pad_packed_sequence(o, batch_first: true, total_length: Steps).Item1;
        }

        Tensor[] values = IsLstm ? [output, hN, cN] : [output, hN];
        Loss(values).backward();
        Tensor[] leaves = [input, .. ParameterNames().Select(n => parameters[n]), .. StateLeaves(h0, c0)];
        return (values.Select(ToArray).ToArray(), leaves.Select(l => ToArray(l.grad!)).ToArray());
    }

    /// <summary>The same from <see cref="SequenceGemmKernel.Run"/>, one call per layer and direction, or, with
    /// <paramref name="bothDirections"/> on a bidirectional LSTM, from <see cref="SequenceGemmKernel.RunBidirectional"/>,
    /// one call per layer.</summary>
    public (double[][] Values, double[][] Gradients) RunSequenceGemm(bool bothDirections = false)
    {
        using var scope = torch.NewDisposeScope();
        var parameters = ParameterNames().ToDictionary(n => n, n => Tensor(_weights[n], _shapes[n]).requires_grad_());
        (Tensor input, Tensor h0, Tensor c0) = Leaves();
        Tensor x = input;
        var hiddens = new List<Tensor>();
        var cells = new List<Tensor>();
        for (int layer = 0; layer < Layers; layer++)
        {
            if (bothDirections && IsLstm && Directions == 2)
            {
                IReadOnlyList<Tensor> Weights(string suffix) => Biases
                    ? [parameters["weight_ih" + suffix], parameters["weight_hh" + suffix], parameters["bias_ih" + suffix], parameters["bias_hh" + suffix]]
                    : [parameters["weight_ih" + suffix], parameters["weight_hh" + suffix]];
                SequenceGemmResult both = SequenceGemmKernel.RunBidirectional(x, Lengths, Weights($"_l{layer}"), Weights($"_l{layer}_reverse"),
                    InitialState ? h0.narrow(0, 2 * layer, 2) : null, InitialState ? c0.narrow(0, 2 * layer, 2) : null);
                hiddens.AddRange(both.Hidden.unbind(0));
                cells.AddRange(both.Cell!.unbind(0));
                x = both.Output;
                continue;
            }

            var outputs = new List<Tensor>();
            for (int direction = 0; direction < Directions; direction++)
            {
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                int index = layer * Directions + direction;
                SequenceGemmResult r = SequenceGemmKernel.Run(Mode, x, Lengths, parameters["weight_ih" + suffix],
                    parameters["weight_hh" + suffix], Biases ? parameters["bias_ih" + suffix] : null,
                    Biases ? parameters["bias_hh" + suffix] : null, InitialState ? h0[index] : null,
                    InitialState && IsLstm ? c0[index] : null, reverse: direction == 1);
                outputs.Add(r.Output);
                hiddens.Add(r.Hidden);
                if (r.Cell is not null)
                {
                    cells.Add(r.Cell);
                }
            }

            x = outputs.Count == 1 ? outputs[0] : torch.cat(outputs, 2);
        }

        Tensor[] values = IsLstm ? [x, torch.stack(hiddens), torch.stack(cells)] : [x, torch.stack(hiddens)];
        Loss(values).backward();
        Tensor[] leaves = [input, .. ParameterNames().Select(n => parameters[n]), .. StateLeaves(h0, c0)];
        return (values.Select(ToArray).ToArray(), leaves.Select(l => ToArray(l.grad!)).ToArray());
    }

    public override string ToString() =>
        $"{Mode} lengths [{string.Join(",", Lengths)}] T{Steps} F{Features} H{Hidden} L{Layers} D{Directions}" +
        (Biases ? "" : " no biases") + (InitialState ? "" : " zero state");

    private Tensor[] StateLeaves(Tensor h0, Tensor c0) => !InitialState ? [] : IsLstm ? [h0, c0] : [h0];

    private (Tensor Input, Tensor H0, Tensor C0) Leaves() =>
        (Tensor(_input, [Batch, Steps, Features]).requires_grad_(),
         Tensor(_h0, [Layers * Directions, Batch, Hidden]).requires_grad_(),
         Tensor(_c0, [Layers * Directions, Batch, Hidden]).requires_grad_());

    /// <summary>Σ values ⊙ fixed random weights, so no gradient can hide behind symmetry.</summary>
    private Tensor Loss(Tensor[] values)
    {
        var generator = new Generator((ulong)_seed + 1000);
        Tensor loss = torch.zeros(1, dtype: ScalarType.Float64);
        foreach (Tensor v in values)
        {
            loss = loss + (v * torch.empty(v.shape, dtype: ScalarType.Float64).uniform_(-1, 1, generator)).sum();
        }

        return loss;
    }

    private static double[] Uniform(long[] shape, double bound, Generator generator) =>
        ToArray(torch.empty(shape, dtype: ScalarType.Float64).uniform_(-bound, bound, generator));

    private static Tensor Tensor(double[] data, long[] shape) => torch.tensor(data, shape, dtype: ScalarType.Float64);

    internal static double[] ToArray(Tensor t) => TensorValues.ToArray<double>(t);
}
