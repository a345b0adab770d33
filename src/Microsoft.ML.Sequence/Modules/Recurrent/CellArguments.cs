using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Argument checks shared by the built-in cells.</summary>
internal static class CellArguments
{
    public static void Check(int inputSize, int hiddenSize, RecurrentInitialization initialization)
    {
        if (inputSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"inputSize must be at least 1; got {inputSize}.");
        }

        if (hiddenSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"hiddenSize must be at least 1; got {hiddenSize}.");
        }

        if (!Enum.IsDefined(initialization))
        {
            throw new ArgumentOutOfRangeException(nameof(initialization), initialization,
                $"initialization must be one of {string.Join(", ", Enum.GetNames<RecurrentInitialization>())}; got {initialization}.");
        }
    }

    public static void CheckStep(IRecurrentCell cell, Tensor input, IReadOnlyList<Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(state);
        if (input.dim() != 2 || input.shape[1] != cell.InputSize)
        {
            throw new ArgumentException(
                $"{cell.GetType().Name} expects input [batch, {cell.InputSize}], got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        if (state.Count != cell.StateSizes.Count)
        {
            throw new ArgumentException($"{cell.GetType().Name} has {cell.StateSizes.Count} state tensors; got {state.Count}.", nameof(state));
        }

        for (int k = 0; k < state.Count; k++)
        {
            if (state[k].dim() != 2 || state[k].shape[0] != input.shape[0] || state[k].shape[1] != cell.StateSizes[k])
            {
                throw new ArgumentException(
                    $"{cell.GetType().Name} state {k} must be [{input.shape[0]}, {cell.StateSizes[k]}], got [{string.Join(", ", state[k].shape)}].",
                    nameof(state));
            }
        }
    }
}
