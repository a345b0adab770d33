using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Stores a <see cref="CharacterLanguageModel"/> inside one of our model.zip components: its saved bytes
/// (<see cref="CharacterLanguageModel.Save"/>) become one 1-D UInt8 tensor of the component's safetensors weights, so
/// they share the component's checksums and are read back with the format's own checks.</summary>
internal static class CharacterLanguageModelPersistence
{
    /// <summary>Writes <paramref name="model"/> as the tensor <paramref name="name"/> of the component being saved.</summary>
    public static void WriteLanguageModel(this ComponentSaveContext context, string name, CharacterLanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        model.Save(stream);
        using Tensor bytes = torch.tensor(stream.ToArray(), ScalarType.Byte);
        context.WriteTensor(name, bytes);
    }

    /// <summary>Reads the model written by <see cref="WriteLanguageModel"/> under <paramref name="name"/>.</summary>
    /// <exception cref="ModelFormatException">No such tensor, not a 1-D UInt8 tensor, or not a valid model.</exception>
    public static CharacterLanguageModel ReadLanguageModel(this ComponentLoadContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        using Tensor tensor = context.ReadTensor(name);
        if (tensor.dtype != ScalarType.Byte || tensor.dim() != 1)
        {
            throw new ModelFormatException(
                $"{context.Kind}: tensor '{name}' is {tensor.dtype} of {tensor.dim()} dimensions; a language model is stored as 1-D UInt8.");
        }

        byte[] bytes = TensorValues.ToArray<byte>(tensor);
        return CharacterLanguageModelFormat.Read(new MemoryStream(bytes, writable: false), $"{context.Kind}, tensor '{name}'");
    }
}
