using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>Random float64 weights, inputs and initial states for one recurrent-kernel configuration.</summary>
internal sealed class RecurrentCase
{
    public RecurrentCase(RecurrentMode mode, int batch, int steps, int features, int hidden, int layers, bool bidirectional,
        int seed)
    {
        Mode = mode;
        Batch = batch;
        Steps = steps;
        Features = features;
        Hidden = hidden;
        Layers = layers;
        Bidirectional = bidirectional;
        int gates = RecurrentReference.GateCount(Cell);
        var weights = new List<(double[], long[])>();
        for (int layer = 0; layer < layers; layer++)
        {
            long inWidth = layer == 0 ? features : Directions * hidden;
            for (int direction = 0; direction < Directions; direction++)
            {
                foreach (long[] shape in new long[][] { [gates * hidden, inWidth], [gates * hidden, hidden], [gates * hidden], [gates * hidden] })
                {
                    weights.Add((RandomValues.Uniform(seed + weights.Count, shape, -0.6, 0.6), shape));
                }
            }
        }

        Weights = weights;
        Input = RandomValues.Uniform(seed + 100, InputShape, -1, 1);
        InitialHidden = RandomValues.Uniform(seed + 101, StateShape, -0.8, 0.8);
        InitialCell = mode == RecurrentMode.Lstm ? RandomValues.Uniform(seed + 102, StateShape, -0.8, 0.8) : null;
    }

    public RecurrentMode Mode { get; }
    public int Batch { get; }
    public int Steps { get; }
    public int Features { get; }
    public int Hidden { get; }
    public int Layers { get; }
    public bool Bidirectional { get; }
    public int Directions => Bidirectional ? 2 : 1;
    public IReadOnlyList<(double[] Data, long[] Shape)> Weights { get; }
    public double[] Input { get; }
    public double[] InitialHidden { get; }
    public double[]? InitialCell { get; }
    public long[] InputShape => [Batch, Steps, Features];
    public long[] StateShape => [Layers * Directions, Batch, Hidden];

    public ReferenceCell Cell => Mode switch
    {
        RecurrentMode.Lstm => ReferenceCell.Lstm,
        RecurrentMode.Gru => ReferenceCell.Gru,
        RecurrentMode.RnnTanh => ReferenceCell.RnnTanh,
        RecurrentMode.RnnRelu => ReferenceCell.RnnRelu,
        _ => throw new ArgumentOutOfRangeException(nameof(Mode)),
    };

    public override string ToString() =>
        $"{Mode} B{Batch} T{Steps} F{Features} H{Hidden} L{Layers} {(Bidirectional ? "bidirectional" : "forward")}";

    public Tensor[] WeightTensors() => Weights.Select(w => torch.tensor(w.Data, w.Shape, ScalarType.Float64)).ToArray();

    public (double[] Output, double[] FinalHidden, double[]? FinalCell) Reference(int[] lengths) =>
        RecurrentReference.Run(Cell, Input, Batch, Steps, Features, lengths, Weights.Select(w => w.Data).ToList(), Hidden,
            Layers, Bidirectional, InitialHidden, InitialCell);
}
