namespace Microsoft.ML.Sequence.Tests.Platform;

/// <summary>The build step that makes TorchSharp's native glue load on Debian 12, checked on copies of the real file.</summary>
[TestClass]
public sealed class LoaderFixTests
{
    private static readonly string Pristine = Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [TestMethod]
    public void MakeWeakEditsOnlyTheFlagsFieldOfThatRequirement()
    {
        using var dir = new TempDirectory();
        string copy = dir.File("libLibTorchSharp.so");
        File.Copy(Pristine, copy);
        byte[] before = File.ReadAllBytes(copy);
        long flags = ElfVersionRequirement.FindFlagsOffset(before, copy);

        Assert.AreEqual(ElfVersionRequirement.Outcome.Patched, ElfVersionRequirement.MakeWeak(copy));

        byte[] after = File.ReadAllBytes(copy);
        Assert.AreEqual(before.Length, after.Length);
        long[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).Select(i => (long)i).ToArray();
        Assert.IsTrue(changed.Length is >= 1 and <= 2, $"{changed.Length} bytes changed");
        Assert.IsTrue(changed.All(i => i == flags || i == flags + 1), "a byte outside the 2-byte vna_flags field changed");
        Assert.AreEqual(0x2, after[flags] | after[flags + 1] << 8, "VER_FLG_WEAK");
    }

    [TestMethod]
    public void SecondRunChangesNothing()
    {
        using var dir = new TempDirectory();
        string copy = dir.File("libLibTorchSharp.so");
        File.Copy(Pristine, copy);
        ElfVersionRequirement.MakeWeak(copy);
        byte[] once = File.ReadAllBytes(copy);
        DateTime written = File.GetLastWriteTimeUtc(copy);

        Assert.AreEqual(ElfVersionRequirement.Outcome.AlreadyWeak, ElfVersionRequirement.MakeWeak(copy));

        CollectionAssert.AreEqual(once, File.ReadAllBytes(copy));
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(copy));
    }

    [TestMethod]
    public void OutputCopyIsPatchedAndThePackageCacheIsNot()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        byte[] built = File.ReadAllBytes(output), cached = File.ReadAllBytes(Pristine);
        long flags = ElfVersionRequirement.FindFlagsOffset(built, output);
        Assert.AreEqual(0x2, built[flags] & 0x2, "the test output's copy is weak");
        Assert.AreEqual(0, cached[flags] & 0x2, "the NuGet cache's copy is untouched");
    }

    [TestMethod]
    public void NonElfFileIsRejectedAndLeftAlone()
    {
        using var dir = new TempDirectory();
        string text = dir.File("not-elf.so");
        File.WriteAllText(text, "this is not a shared library, just some text long enough to have a header's worth of bytes");
        byte[] before = File.ReadAllBytes(text);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionRequirement.MakeWeak(text));

        StringAssert.Contains(e.Message, "not an ELF file");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(text));
    }

    [TestMethod]
    public void ElfWithoutTheRequirementIsRejected()
    {
        using var dir = new TempDirectory();
        string other = dir.File("libc10.so");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libc10.so"), other);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionRequirement.MakeWeak(other));

        StringAssert.Contains(e.Message, "GLIBCXX_3.4.32");
    }

    [TestMethod]
    public void TruncatedElfIsRejected()
    {
        using var dir = new TempDirectory();
        string truncated = dir.File("truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Pristine)[..4096]);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionRequirement.MakeWeak(truncated));

        StringAssert.Contains(e.Message, "truncated");
    }
}
