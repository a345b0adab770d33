using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class ModuleTests
{
    private sealed class TinyNet : Module
    {
        private readonly ModuleParameter _scale;
        private readonly Linear _encoder;
        private readonly Linear _head;

        public TinyNet(ulong seed)
        {
            using var generator = new RandomGenerator(seed);
            using var scope = TensorScope.Begin();
            _scale = RegisterParameter("scale", Tensor.From<float>([1.5f]));
            RegisterBuffer("steps", Tensor.From<long>([7L]));
            _encoder = RegisterModule("encoder", new Linear(3, 2, generator: generator));
            _head = RegisterModule("head", new Linear(2, 1, bias: false, generator: generator));
        }

        public int ReplacedCount { get; private set; }

        public Tensor Forward(Tensor input) => _head.Forward(_encoder.Forward(input).Tanh()) * _scale.Value;

        public void Register(string name) => RegisterParameter(name, Tensor.Zeros([1]));

        protected override void OnParametersReplaced() => ReplacedCount++;
    }

    [TestMethod]
    public void NamedParametersAreDottedAndInRegistrationOrder()
    {
        using var net = new TinyNet(1);
        CollectionAssert.AreEqual(new[] { "scale", "encoder.weight", "encoder.bias", "head.weight" },
            net.NamedParameters().Select(p => p.Key).ToArray());
        Assert.AreEqual(1 + 6 + 2 + 2, net.ParameterCount);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, net.Parameters().ElementAt(1).Shape.ToArray());
        Assert.IsTrue(net.Parameters().All(p => p.RequiresGrad && p.Value.RequiresGrad));
    }

    [TestMethod]
    public void ParametersOutliveTheScopeTheModuleWasCreatedIn()
    {
        TinyNet net;
        using (TensorScope.Begin())
        {
            net = new TinyNet(1);
        }

        using (net)
        using (TensorScope.Begin())
        {
            Assert.IsTrue(net.Parameters().All(p => !p.IsDisposed));
            Assert.AreEqual(1, net.Forward(Tensor.Ones([4, 3])).Size(1));
        }

        Assert.ThrowsExactly<ObjectDisposedException>(() => net.Parameters().ToList());
    }

    [TestMethod]
    public void StateDictionaryRoundTripGivesIdenticalOutputs()
    {
        using var scope = TensorScope.Begin();
        using var source = new TinyNet(1);
        using var target = new TinyNet(2);
        Tensor input = Tensor.Rand([4, 3], null);
        Assert.IsFalse(source.Forward(input).ToArray<float>().SequenceEqual(target.Forward(input).ToArray<float>()));

        IReadOnlyDictionary<string, Tensor> state = source.StateDictionary();
        CollectionAssert.AreEqual(new[] { "scale", "steps", "encoder.weight", "encoder.bias", "head.weight" }, state.Keys.ToArray());
        Assert.IsFalse(state["encoder.weight"].RequiresGrad);
        target.LoadStateDictionary(state);

        CollectionAssert.AreEqual(source.Forward(input).ToArray<float>(), target.Forward(input).ToArray<float>());
        Assert.AreEqual(1, target.ReplacedCount);
        Assert.IsTrue(target.Parameters().All(p => p.Value.RequiresGrad));
    }

    [TestMethod]
    public void StrictLoadNamesMissingUnexpectedAndMismatchedKeys()
    {
        using var scope = TensorScope.Begin();
        using var net = new TinyNet(1);
        Dictionary<string, Tensor> state = net.StateDictionary().ToDictionary();

        state.Remove("encoder.bias");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => net.LoadStateDictionary(state));
        StringAssert.Contains(missing.Message, "encoder.bias");
        net.LoadStateDictionary(state, strict: false);

        state["encoder.bias"] = Tensor.Zeros([2]);
        state["decoder.weight"] = Tensor.Zeros([2]);
        var unexpected = Assert.ThrowsExactly<ArgumentException>(() => net.LoadStateDictionary(state));
        StringAssert.Contains(unexpected.Message, "decoder.weight");
        net.LoadStateDictionary(state, strict: false);

        state.Remove("decoder.weight");
        state["encoder.weight"] = Tensor.Zeros([3, 3]);
        var mismatch = Assert.ThrowsExactly<ArgumentException>(() => net.LoadStateDictionary(state, strict: false));
        StringAssert.Contains(mismatch.Message, "encoder.weight");
        StringAssert.Contains(mismatch.Message, "[2, 3]");
        StringAssert.Contains(mismatch.Message, "[3, 3]");
    }

    [TestMethod]
    public void NamesAreValidated()
    {
        using var net = new TinyNet(1);
        Assert.ThrowsExactly<ArgumentException>(() => net.Register("a.b"));
        Assert.ThrowsExactly<ArgumentException>(() => net.Register(""));
        Assert.ThrowsExactly<ArgumentException>(() => net.Register("scale"));
        Assert.ThrowsExactly<ArgumentException>(() => net.Register("encoder"));
    }

    [TestMethod]
    public void TrainEvalAndFreezingRecurse()
    {
        using var net = new TinyNet(1);
        net.Eval();
        Assert.IsFalse(net.IsTraining);
        net.Train();
        Assert.IsTrue(net.IsTraining);

        ModuleParameter scale = net.Parameters().First();
        scale.RequiresGrad = false;
        Assert.AreEqual(10, net.ParameterCount);
        Assert.IsFalse(scale.Value.RequiresGrad);
    }

    [TestMethod]
    public void ToDeviceKeepsValuesAndNotifies()
    {
        using var scope = TensorScope.Begin();
        using var net = new TinyNet(1);
        Tensor input = Tensor.Ones([2, 3]);
        float[] before = net.Forward(input).ToArray<float>();
        net.To(Device.Cpu);
        Assert.AreEqual(1, net.ReplacedCount);
        CollectionAssert.AreEqual(before, net.Forward(input).ToArray<float>());
    }
}
