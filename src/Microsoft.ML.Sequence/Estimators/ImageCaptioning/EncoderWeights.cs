using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>Starts the encoder from a local safetensors file (<see cref="ImageCaptionerOptions.EncoderWeightsPath"/>):
/// every tensor of the encoder's state dictionary must be there with its shape; nothing is downloaded.</summary>
internal static class EncoderWeights
{
    public static void Load(ImageEncoder encoder, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{ImageCaptioner.Component}: EncoderWeightsPath '{path}' does not exist.", path);
        }

        Dictionary<string, Tensor> state;
        using (FileStream stream = File.OpenRead(path))
        {
            state = SafeTensorsFile.Read(stream);
        }

        try
        {
            StateDictionaries.Load(encoder, state, $"the encoder (from {path})");
        }
        finally
        {
            foreach (Tensor tensor in state.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
