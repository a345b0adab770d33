// The source of the MSBuild inline task that makes TorchSharp 0.107's native glue load on Debian 12 / Ubuntu 22.04
// (see Microsoft.ML.Sequence.targets). It is compiled by RoslynCodeTaskFactory at build time, so it may use only the
// BCL and MSBuild's own assemblies; the tests compile the same file to check the edit on a copy of the real library.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>MSBuild task: marks the GLIBCXX_3.4.32 requirement of each given libLibTorchSharp.so weak.</summary>
public sealed class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    /// <summary>The copies of libLibTorchSharp.so to edit (output or publish folders, never the NuGet cache).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <inheritdoc/>
    public override bool Execute()
    {
        foreach (ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                ElfVersionRequirement.Outcome outcome = ElfVersionRequirement.MakeWeak(path);
                Log.LogMessage(MessageImportance.Low, $"{path}: GLIBCXX_3.4.32 requirement {(outcome == ElfVersionRequirement.Outcome.Patched ? "marked weak" : "already weak")}.");
            }
            catch (InvalidDataException e)
            {
                Log.LogError($"Microsoft.ML.Sequence could not make TorchSharp loadable on this Linux: {e.Message}");
            }
        }

        return !Log.HasLoggedErrors;
    }
}

/// <summary>
/// Sets VER_FLG_WEAK on the one <c>.gnu.version_r</c> entry <c>GLIBCXX_3.4.32</c> under <c>libstdc++.so.6</c> of an
/// ELF64 little-endian shared library. libLibTorchSharp.so 0.107.0 was linked with GCC 13, whose &lt;iostream&gt;
/// references <c>std::ios_base_library_init()</c> at that version without any relocation calling it; GCC 12's
/// libstdc++ (Debian 12) lacks the version, so the dynamic loader refuses the whole file. A weak requirement is only
/// checked where it exists, so the edit is harmless on systems that have GCC 13's libstdc++.
/// </summary>
public static class ElfVersionRequirement
{
    /// <summary>What <see cref="MakeWeak"/> did.</summary>
    public enum Outcome
    {
        /// <summary>The flag was set and the file rewritten.</summary>
        Patched,

        /// <summary>The flag was already set; the file was not touched.</summary>
        AlreadyWeak,
    }

    private const string LibraryName = "libstdc++.so.6";
    private const string VersionName = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Finds the requirement and sets its weak flag, writing the file through a temporary copy that is
    /// renamed into place (so a hard link into a package cache is never edited and a crash leaves no half file).</summary>
    /// <param name="path">The shared library to edit.</param>
    /// <returns>Whether the file was changed.</returns>
    /// <exception cref="InvalidDataException">The file is not a little-endian ELF64 file, has no version-needs
    /// section, or has no <c>GLIBCXX_3.4.32</c> entry under <c>libstdc++.so.6</c>.</exception>
    public static Outcome MakeWeak(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long flagsOffset = FindFlagsOffset(bytes, path);
        ushort flags = U16(bytes, flagsOffset);
        if ((flags & VerFlagWeak) != 0)
        {
            return Outcome.AlreadyWeak;
        }

        flags |= VerFlagWeak;
        bytes[flagsOffset] = (byte)flags;
        bytes[flagsOffset + 1] = (byte)(flags >> 8);
        string temporary = path + ".weakening";
        File.WriteAllBytes(temporary, bytes);
        File.Replace(temporary, path, null);
        return Outcome.Patched;
    }

    /// <summary>The file offset of the 2-byte <c>vna_flags</c> field of the requirement.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <returns>An offset into <paramref name="bytes"/>.</returns>
    /// <exception cref="InvalidDataException">As for <see cref="MakeWeak"/>.</exception>
    public static long FindFlagsOffset(byte[] bytes, string path)
    {
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF file.");
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a little-endian ELF64 file (class {bytes[4]}, data {bytes[5]}).");
        }

        long sectionTable = Check(bytes, path, (long)U64(bytes, 0x28), 0);
        int entrySize = U16(bytes, 0x3a), sectionCount = U16(bytes, 0x3c);
        Check(bytes, path, sectionTable, (long)entrySize * sectionCount);
        for (int index = 0; index < sectionCount; index++)
        {
            long header = sectionTable + (long)index * entrySize;
            if (U32(bytes, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            long section = Check(bytes, path, (long)U64(bytes, header + 0x18), (long)U64(bytes, header + 0x20));
            long strings = Check(bytes, path, sectionTable + (long)U32(bytes, header + 0x28) * entrySize, entrySize);
            long stringTable = Check(bytes, path, (long)U64(bytes, strings + 0x18), (long)U64(bytes, strings + 0x20));
            return FindInVerneed(bytes, path, section, U32(bytes, header + 0x2c), stringTable);
        }

        throw new InvalidDataException($"{path} has no .gnu.version_r section.");
    }

    private static long FindInVerneed(byte[] bytes, string path, long section, uint entryCount, long stringTable)
    {
        long entry = section;
        for (uint i = 0; i < entryCount; i++)
        {
            Check(bytes, path, entry, 16);
            string file = Name(bytes, path, stringTable, U32(bytes, entry + 4));
            if (file == LibraryName)
            {
                long aux = entry + U32(bytes, entry + 8);
                for (int j = 0, count = U16(bytes, entry + 2); j < count; j++)
                {
                    Check(bytes, path, aux, 16);
                    if (Name(bytes, path, stringTable, U32(bytes, aux + 8)) == VersionName)
                    {
                        return aux + 4;
                    }

                    aux += U32(bytes, aux + 12);
                }
            }

            entry += U32(bytes, entry + 12);
        }

        throw new InvalidDataException($"{path} has no {VersionName} requirement under {LibraryName} in .gnu.version_r.");
    }

    private static string Name(byte[] bytes, string path, long stringTable, uint offset)
    {
        long start = Check(bytes, path, stringTable + offset, 1), end = start;
        while (end < bytes.Length && bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }

    private static long Check(byte[] bytes, string path, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > bytes.Length)
        {
            throw new InvalidDataException($"{path} is truncated or corrupt: an ELF structure at offset {offset} runs past the end of the file.");
        }

        return offset;
    }

    private static ushort U16(byte[] b, long o) => (ushort)(b[o] | b[o + 1] << 8);

    private static uint U32(byte[] b, long o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);

    private static ulong U64(byte[] b, long o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;
}
