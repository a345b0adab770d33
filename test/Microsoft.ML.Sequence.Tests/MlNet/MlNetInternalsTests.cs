using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.MlNet;

/// <summary>Every internal ML.NET member we use (<see cref="MlNetInternals"/>) still exists, with the same signature,
/// in the Microsoft.ML.Core this process really runs on (not the publicized compile-time copy).</summary>
[TestClass]
public sealed class MlNetInternalsTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    internal static Assembly RealCore => typeof(ITransformer).Assembly;

    [TestMethod]
    public void RunsAgainstTheRealSignedAssembly()
    {
        AssemblyName name = RealCore.GetName();
        Assert.AreEqual("Microsoft.ML.Core", name.Name);
        Assert.AreEqual("cc7b13ffcd2ddd51", Convert.ToHexString(name.GetPublicKeyToken()!).ToLowerInvariant());
        StringAssert.DoesNotMatch(RealCore.Location, new System.Text.RegularExpressions.Regex("publicized"));
        Assert.IsFalse(RealCore.GetType("Microsoft.ML.ModelLoadContext", throwOnError: true)!.IsPublic,
            "ModelLoadContext is public at run time: the publicized copy was loaded instead of the real assembly");
    }

    [TestMethod]
    public void EveryInternalTypeWeNameExists()
    {
        var missing = MlNetInternals.InternalTypes.Where(t => RealCore.GetType(t) is null).ToList();
        Assert.AreEqual(0, missing.Count, $"Microsoft.ML.Core {RealCore.GetName().Version} lacks: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public void EveryInternalMemberWeUseExistsWithItsSignature()
    {
        var problems = new List<string>();
        foreach (InternalMember member in MlNetInternals.Members)
        {
            Type? type = RealCore.GetType(member.DeclaringType);
            if (type is null)
            {
                problems.Add($"{member.DeclaringType}: type missing");
                continue;
            }

            MemberInfo[] named = type.GetMember(member.Name, Everything);
            if (named.Length == 0)
            {
                problems.Add($"{member.DeclaringType}.{member.Name}: member missing");
            }
            else if (!named.Any(m => m.ToString() == member.Signature))
            {
                problems.Add($"{member.DeclaringType}.{member.Name}: signature changed; expected '{member.Signature}', found {string.Join(" | ", named.Select(m => "'" + m + "'"))}");
            }
        }

        Assert.AreEqual(0, problems.Count,
            $"Microsoft.ML.Core {RealCore.GetName().Version} no longer has what MlNetInternals uses:\n" + string.Join("\n", problems));
    }

    [TestMethod]
    public void TheCatalogEnvironmentMemberExistsInMicrosoftMLData()
    {
        InternalMember member = MlNetInternals.CatalogEnvironmentMember;
        Type? type = typeof(TrainCatalogBase).Assembly.GetType(member.DeclaringType);
        Assert.IsNotNull(type, $"Microsoft.ML.Data lacks {member.DeclaringType}");
        Assert.IsTrue(type.GetMember(member.Name, Everything).Any(m => m.ToString() == member.Signature),
            $"Microsoft.ML.Data: {member.DeclaringType}.{member.Name} is not '{member.Signature}'");
        var ml = new MLContext(seed: 3) { GpuDeviceId = 2, FallbackToCpu = true };
        IHostEnvironment environment = MlNetInternals.CatalogEnvironment(ml.BinaryClassification.Trainers);
        Assert.AreEqual((2, true), MlNetInternals.GpuSettings(environment));
    }

    [TestMethod]
    public void ListedEntriesAreUnique()
    {
        Assert.AreEqual(MlNetInternals.Members.Count, MlNetInternals.Members.Distinct().Count());
        Assert.AreEqual(MlNetInternals.InternalTypes.Count, MlNetInternals.InternalTypes.Distinct().Count());
    }
}
