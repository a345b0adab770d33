using System.Diagnostics;

namespace Microsoft.ML.Sequence.Cli.Tests;

/// <summary>Writes a program from <c>mlseq codegen</c> into a fresh project outside the repository (referencing the
/// library project and TorchSharp-cpu, importing the loader-fix targets as an application of the package gets them),
/// builds it and runs it.</summary>
internal static class GeneratedProgram
{
    /// <summary>Builds and runs each program in turn in the same project folder (the second build only recompiles:
    /// libtorch is copied once), returning each run's output.</summary>
    public static string[] BuildAndRun(params (string Source, string[] Args)[] programs)
    {
        string directory = Path.Combine(Path.GetTempPath(), "mlseq-codegen-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string library = Path.Combine(Mlseq.RepoRoot, "src", "Microsoft.ML.Sequence");
            File.WriteAllText(Path.Combine(directory, "Generated.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NoWarn>NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
                    <ProjectReference Include="{Path.Combine(library, "Microsoft.ML.Sequence.csproj")}" />
                  </ItemGroup>
                  <Import Project="{Path.Combine(library, "buildTransitive", "Microsoft.ML.Sequence.targets")}" />
                </Project>
                """);
            var outputs = new List<string>();
            foreach ((string source, string[] args) in programs)
            {
                File.WriteAllText(Path.Combine(directory, "Program.cs"), source);
                Run("dotnet", directory, TimeSpan.FromMinutes(4), "build", "-c", "Release", "-v", "quiet", "-nologo", "-clp:ErrorsOnly");
                outputs.Add(Run("dotnet", directory, TimeSpan.FromMinutes(1), [Path.Combine(directory, "bin", "Release", "net10.0", "Generated.dll"), .. args]));
            }

            return outputs.ToArray();
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Run(string file, string directory, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} ran longer than {timeout}.");
        }

        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{file} {string.Join(' ', args)}\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
