using Microsoft.ML;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.ML.Sequence.Tests.Modules;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Estimators.TextClassification;

/// <summary><see cref="RecurrentTextClassifierOptions.EnsembleSize"/>, checked by hand: each member rebuilt as a single
/// network from the ensemble's saved values gives the probabilities, attention weights, loss and gradients that the
/// ensemble averages or sums.</summary>
[TestClass]
public sealed class ClassifierEnsembleTests
{
    private const int Members = 3;

    [TestMethod]
    public void StateDictionaryHoldsTheFirstMemberUnderTheSingleNetworksKeysAndTheOthersUnderOthers()
    {
        using var single = new TextClassifierNetwork(10, 3, Options(1), seed: 7);
        using var ensemble = new TextClassifierNetwork(10, 3, Options(Members), seed: 7);
        string[] keys = single.state_dict().Keys.ToArray();
        string[] expected = keys.Concat(Enumerable.Range(0, Members - 1).SelectMany(i => keys.Select(k => $"others.{i}.{k}"))).ToArray();
        CollectionAssert.AreEquivalent(expected, ensemble.state_dict().Keys.ToArray());
        Assert.AreEqual(Members * single.ParameterCount, ensemble.ParameterCount);
        foreach (string key in keys)
        {
            Assert.IsTrue(single.state_dict()[key].eq(ensemble.state_dict()[key]).all().ToBoolean(), $"{key}: the first member starts as the single network");
        }

        Assert.IsFalse(ensemble.state_dict()["head.weight"].eq(ensemble.state_dict()["others.0.head.weight"]).all().ToBoolean(), "members start apart");
        Assert.IsFalse(ensemble.state_dict()["others.0.head.weight"].eq(ensemble.state_dict()["others.1.head.weight"]).all().ToBoolean(), "members start apart");
        Assert.HasCount(Members, ensemble.MemberParameters);
        Assert.AreEqual(ensemble.ParameterCount, ensemble.MemberParameters.Sum(g => g.Sum(p => p.numel())));
    }

    [TestMethod]
    public void PredictionsAreTheMembersMeanProbabilitiesAndMeanAttentionWeights()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var ensemble = new TextClassifierNetwork(10, 3, Options(Members), seed: 3);
        ensemble.eval();
        (Tensor logits, Tensor? weights) = ensemble.call(ModuleTests.Keys(), ModuleTests.Lengths);
        Tensor probabilities = zeros(2, 3);
        Tensor meanWeights = zeros(2, 4);
        for (int member = 0; member < Members; member++)
        {
            using TextClassifierNetwork alone = Member(ensemble, member);
            alone.eval();
            (Tensor memberLogits, Tensor? memberWeights) = alone.call(ModuleTests.Keys(), ModuleTests.Lengths);
            probabilities += memberLogits.softmax(-1) / Members;
            meanWeights += memberWeights! / Members;
        }

        Assert.IsTrue(logits.softmax(-1).allclose(probabilities, rtol: 0, atol: 1e-6), "softmax of the logits = mean probability");
        Assert.IsTrue(logits.exp().sum(-1).allclose(ones(2), rtol: 0, atol: 1e-6), "the logits are log-probabilities");
        Assert.IsTrue(weights!.allclose(meanWeights, rtol: 0, atol: 1e-6));
    }

    [TestMethod]
    public void TrainingLossIsTheSumOfTheMembersOwnLossesAndEachMemberGetsItsOwnGradient()
    {
        using var scope = NewDisposeScope();
        RecurrentTextClassifierOptions options = Options(Members);
        options.Dropout = 0; // no random masks, so each member alone can be replayed
        using var ensemble = new TextClassifierNetwork(10, 3, options, seed: 5);
        Tensor labels = tensor(new long[] { 2, 0 });
        Tensor loss = ensemble.Loss(ModuleTests.Keys(), ModuleTests.Lengths, labels);
        loss.backward();
        double sum = 0;
        for (int member = 0; member < Members; member++)
        {
            using TextClassifierNetwork alone = Member(ensemble, member, options);
            Tensor own = nn.functional.cross_entropy(alone.call(ModuleTests.Keys(), ModuleTests.Lengths).Logits, labels);
            own.backward();
            sum += own.ToDouble();
            Tensor expected = alone.named_parameters().Single(p => p.name == "head.weight").parameter.grad!;
            Tensor actual = ensemble.MemberParameters[member].Single(p => p.shape.SequenceEqual(new long[] { 3, 10 })).grad!;
            Assert.IsTrue(actual.allclose(expected, rtol: 1e-5, atol: 1e-7), $"member {member}'s head gradient is its own loss's");
        }

        Assert.AreEqual(sum, loss.ToDouble(), 1e-5);
    }

    [TestMethod]
    public void PretrainedVectorsGoIntoEveryMembersEmbedding()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vectors-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, ["good 1 2 3", "bad -1 -2 -3", "missing 9 9 9"]);
        try
        {
            var ml = new MLContext(seed: 1);
            var options = new RecurrentTextClassifierOptions
            {
                TextColumnName = "Sentence", LabelColumnName = "Positive", EmbeddingSize = 3, HiddenSize = 4, MaxEpochs = 1,
                ValidationFraction = 0, EarlyStopping = null, EnsembleSize = 2, PretrainedVectorsPath = path, FreezeEmbeddings = true,
            };
            using TextClassifierTransformer model = ml.BinaryClassification.Trainers.RecurrentTextClassifier(options)
                .Fit(ml.Data.LoadFromEnumerable(SentimentData.Separable(8)));
            IReadOnlyDictionary<string, SafeTensorsEntry> saved = model.ToComponent().Tensors;
            using var scope = NewDisposeScope();
            foreach (string member in new[] { "", "others.0." })
            {
                Tensor embedding = saved[member + "embedding.weight"].ToTensor();
                CollectionAssert.AreEqual(new[] { 1f, 2f, 3f }, embedding[model.Vocabulary.GetKey("good")].data<float>().ToArray(), member);
                CollectionAssert.AreEqual(new[] { -1f, -2f, -3f }, embedding[model.Vocabulary.GetKey("bad")].data<float>().ToArray(), member);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void EnsembleSizeOutsideOneToSixteenIsRejectedNamingIt()
    {
        foreach (int size in new[] { 0, -1, 17 })
        {
            var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecurrentTextClassifierOptions { EnsembleSize = size }.Validate());
            Assert.AreEqual(nameof(RecurrentTextClassifierOptions.EnsembleSize), error.ParamName);
        }

        new RecurrentTextClassifierOptions { EnsembleSize = 16 }.Validate();
    }

    private static RecurrentTextClassifierOptions Options(int members)
    {
        RecurrentTextClassifierOptions options = ModuleTests.ClassifierOptions(TimePooling.Attention);
        options.EnsembleSize = members;
        return options;
    }

    /// <summary>Member <paramref name="member"/> of <paramref name="ensemble"/> as a single network: its values copied
    /// out of the ensemble's state dictionary.</summary>
    private static TextClassifierNetwork Member(TextClassifierNetwork ensemble, int member, RecurrentTextClassifierOptions? options = null)
    {
        options ??= Options(1);
        options.EnsembleSize = 1;
        var alone = new TextClassifierNetwork(10, 3, options, seed: 99);
        string prefix = member == 0 ? "" : $"others.{member - 1}.";
        Dictionary<string, Tensor> all = ensemble.state_dict();
        using (no_grad())
        {
            foreach ((string name, Tensor value) in alone.state_dict())
            {
                value.copy_(all[prefix + name]);
            }
        }

        return alone;
    }
}
