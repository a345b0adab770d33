using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

/// <summary>What our networks rely on from TorchSharp's <c>nn.Module</c>: state-dictionary keys (the names saved models
/// use), parameters that outlive the scope a network was built in, strict loading, train/eval mode reaching every child,
/// frozen parameters, device moves and initial values drawn from one seed.</summary>
[TestClass]
public sealed class ModuleTests
{
    private static readonly string[] RecurrentSuffixes = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"];

    internal static RecurrentTextClassifierOptions ClassifierOptions(TimePooling pooling = TimePooling.Attention) => new()
    {
        EmbeddingSize = 6, HiddenSize = 5, LayerCount = 1, Bidirectional = true, Pooling = pooling, Dropout = 0.5,
    };

    internal static TextClassifierNetwork Classifier(ulong seed, TimePooling pooling = TimePooling.Attention) =>
        new(embeddingRows: 10, classCount: 3, ClassifierOptions(pooling), seed);

    internal static Tensor Keys() => tensor(new long[] { 1, 2, 3, 4, 5, 6, 0, 0 }, [2, 4]);

    internal static readonly long[] Lengths = [4, 2];

    [TestMethod]
    public void ClassifierStateDictionaryKeysAreThePyTorchNamesSavedModelsUse()
    {
        using var network = Classifier(1);
        string[] keys = network.state_dict().Keys.ToArray();
        foreach (string key in new[] { "embedding.weight", "pooling.projection.weight", "pooling.projection.bias", "pooling.query", "head.weight", "head.bias" })
        {
            CollectionAssert.Contains(keys, key);
        }

        string[] encoder = keys.Where(k => k.StartsWith("encoder.", StringComparison.Ordinal)).ToArray();
        foreach (string suffix in RecurrentSuffixes.Concat(RecurrentSuffixes.Select(s => s + "_reverse")))
        {
            Assert.AreEqual(1, encoder.Count(k => k.EndsWith("." + suffix, StringComparison.Ordinal)), $"encoder key *.{suffix} in {string.Join(", ", encoder)}");
        }

        Assert.AreEqual(6 + RecurrentSuffixes.Length * 2, keys.Length, string.Join(", ", keys));
        CollectionAssert.AreEqual(new long[] { 10, 6 }, network.state_dict()["embedding.weight"].shape);
        CollectionAssert.AreEqual(new long[] { 3, 10 }, network.state_dict()["head.weight"].shape);

        using var maxPooled = Classifier(1, TimePooling.Max);
        Assert.IsFalse(maxPooled.state_dict().Keys.Any(k => k.StartsWith("pooling.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void TaggerStateDictionaryKeysNameWordsCharactersEncoderOutputAndCrf()
    {
        var options = new RecurrentSequenceTaggerOptions
        {
            WordEmbeddingSize = 4, CharacterEmbeddingSize = 3, CharacterHiddenSize = 2, HiddenSize = 5, LayerCount = 1,
            Output = TaggerOutput.Crf, TagScheme = TagScheme.None,
        };
        var vocabularies = new TaggerVocabularies(new Vocabulary(["a", "b"], SpecialTokens.Unknown), new Vocabulary(["x", "y", "z"], SpecialTokens.Unknown),
            new Vocabulary(["N", "V"]), lowercaseWords: true, maxWordCharacters: 10);
        using var network = new TaggerNetwork(options, vocabularies, new Generator(3, CPU));
        string[] keys = network.state_dict().Keys.ToArray();
        CollectionAssert.Contains(keys, "words.weight");
        CollectionAssert.Contains(keys, "output.weight");
        CollectionAssert.Contains(keys, "output.bias");
        Assert.IsTrue(keys.Any(k => k.StartsWith("characters.", StringComparison.Ordinal)), string.Join(", ", keys));
        Assert.IsTrue(keys.Any(k => k.StartsWith("crf.", StringComparison.Ordinal)), string.Join(", ", keys));
        foreach (string suffix in RecurrentSuffixes.Concat(RecurrentSuffixes.Select(s => s + "_reverse")))
        {
            Assert.IsTrue(keys.Any(k => k.StartsWith("encoder.rnn.", StringComparison.Ordinal) && k.EndsWith("." + suffix, StringComparison.Ordinal)),
                $"encoder.rnn.*.{suffix} in {string.Join(", ", keys)}");
        }

        Assert.IsTrue(keys.All(k => k.Split('.')[0] is "words" or "characters" or "encoder" or "output" or "crf"), string.Join(", ", keys));
        Assert.IsFalse(keys.Any(k => k.Contains("._", StringComparison.Ordinal) || k.StartsWith('_')), string.Join(", ", keys));
        network.to(CPU);
        CollectionAssert.AreEqual(keys, network.state_dict().Keys.ToArray(), "a move registers no field under its field name");
        CollectionAssert.AreEqual(new long[] { 2, 10 }, network.state_dict()["output.weight"].shape);
    }

    [TestMethod]
    public void ParametersOutliveTheScopeTheNetworkWasCreatedIn()
    {
        TextClassifierNetwork network;
        using (NewDisposeScope())
        {
            network = Classifier(1);
        }

        using (network)
        using (NewDisposeScope())
        {
            Assert.IsTrue(network.parameters().All(p => !p.IsInvalid));
            network.eval();
            (Tensor logits, Tensor? weights) = network.call(Keys(), Lengths);
            CollectionAssert.AreEqual(new long[] { 2, 3 }, logits.shape);
            CollectionAssert.AreEqual(new long[] { 2, 4 }, weights!.shape);
        }
    }

    [TestMethod]
    public void SnapshotAndStrictLoadRoundTripGiveIdenticalOutputs()
    {
        using var scope = NewDisposeScope();
        using var source = Classifier(1);
        using var target = Classifier(2);
        source.eval();
        target.eval();
        Assert.IsFalse(Logits(source).SequenceEqual(Logits(target)));

        Dictionary<string, Tensor> snapshot = StateDictionaries.Snapshot(source);
        try
        {
            Assert.IsTrue(snapshot.Values.All(t => !t.requires_grad));
            StateDictionaries.Load(target, snapshot, "target");
            CollectionAssert.AreEqual(Logits(source), Logits(target));
            Assert.IsTrue(target.parameters().All(p => p.requires_grad));

            // The snapshot is a copy: changing the network afterwards leaves it alone.
            using (no_grad())
            {
                source.state_dict()["head.bias"].add_(1);
            }

            Assert.AreNotEqual(source.state_dict()["head.bias"].sum().ToSingle(), snapshot["head.bias"].sum().ToSingle());
        }
        finally
        {
            foreach (Tensor t in snapshot.Values)
            {
                t.Dispose();
            }
        }
    }

    [TestMethod]
    public void StrictLoadNamesMissingUnexpectedAndMismatchedKeys()
    {
        using var scope = NewDisposeScope();
        using var network = Classifier(1);
        Dictionary<string, Tensor> state = network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

        state.Remove("head.bias");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => StateDictionaries.Load(network, state, "net"));
        StringAssert.Contains(missing.Message, "head.bias");

        state["head.bias"] = zeros(3);
        state["decoder.weight"] = zeros(2);
        var unexpected = Assert.ThrowsExactly<ArgumentException>(() => StateDictionaries.Load(network, state, "net"));
        StringAssert.Contains(unexpected.Message, "decoder.weight");

        state.Remove("decoder.weight");
        state["head.weight"] = zeros(1); // would broadcast into [3, 10] with a plain copy_
        var mismatch = Assert.ThrowsExactly<ArgumentException>(() => StateDictionaries.Load(network, state, "net"));
        StringAssert.Contains(mismatch.Message, "head.weight");
        StringAssert.Contains(mismatch.Message, "[3, 10]");
        StringAssert.Contains(mismatch.Message, "[1]");
        Assert.AreNotEqual(0f, network.state_dict()["head.weight"].abs().sum().ToSingle(), "a rejected load changes nothing");
    }

    [TestMethod]
    public void TrainAndEvalReachEveryChildAndDropoutOnlyActsInTraining()
    {
        using var scope = NewDisposeScope();
        using var network = Classifier(1);
        network.eval();
        Assert.IsFalse(network.training);
        Assert.IsTrue(network.modules().All(m => !m.training));
        CollectionAssert.AreEqual(Logits(network), Logits(network), "evaluation is deterministic");

        network.train();
        Assert.IsTrue(network.training);
        Assert.IsTrue(network.modules().All(m => m.training));
        Assert.IsFalse(Logits(network).SequenceEqual(Logits(network)), "dropout masks differ from call to call");
    }

    [TestMethod]
    public void FrozenEmbeddingsAreLeftOutOfTheTrainableParameters()
    {
        RecurrentTextClassifierOptions options = ClassifierOptions();
        using var trainable = new TextClassifierNetwork(10, 3, options, 1);
        options.FreezeEmbeddings = true;
        using var frozen = new TextClassifierNetwork(10, 3, options, 1);
        Assert.AreEqual(trainable.ParameterCount - 60, frozen.ParameterCount);
        Assert.AreEqual(trainable.parameters().Sum(p => p.numel()), trainable.ParameterCount);
        Assert.IsFalse(frozen.Embeddings.Single().weight!.requires_grad);
    }

    [TestMethod]
    public void ToDeviceAndNestingKeepValuesAndStateDictionaryKeys()
    {
        using var scope = NewDisposeScope();
        using var network = Classifier(1);
        network.eval();
        float[] before = Logits(network);
        string[] keys = network.state_dict().Keys.ToArray();
        network.to(CPU);
        CollectionAssert.AreEqual(before, Logits(network));
        CollectionAssert.AreEqual(keys, network.state_dict().Keys.ToArray(), "a move registers no field under its field name");

        var parent = new Parent(network); // not disposed: it would dispose the child twice
        parent.to(CPU);
        CollectionAssert.AreEqual(keys.Select(k => "child." + k).ToArray(), parent.state_dict().Keys.ToArray());
    }

    [TestMethod]
    public void InitialValuesComeFromTheSeedAlone()
    {
        using var scope = NewDisposeScope();
        using var a = Classifier(5);
        randn(100); // draws from the global generator change nothing
        using var b = Classifier(5);
        using var c = Classifier(6);
        foreach ((string name, Tensor value) in a.state_dict())
        {
            Assert.IsTrue(value.eq(b.state_dict()[name]).all().ToBoolean(), $"{name}: same seed, same values");
        }

        Assert.IsFalse(a.state_dict()["head.weight"].eq(c.state_dict()["head.weight"]).all().ToBoolean(), "another seed, other values");
    }

    private sealed class Parent : nn.Module
    {
        public Parent(nn.Module child)
            : base(nameof(Parent)) => register_module("child", child);
    }

    private static float[] Logits(TextClassifierNetwork network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return TensorValues.ToArray<float>(network.call(Keys(), Lengths).Logits);
    }
}
