using Microsoft.ML.Sequence.MlNet;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Microsoft.ML.Sequence.Tests.MlNet;

/// <summary>STYLE P3, checked on the compiled library: every non-public member of the real Microsoft.ML.Core that the
/// library's IL touches is touched inside <see cref="MlNetInternals"/> and listed in <see cref="MlNetInternals.Members"/>;
/// every non-public type it names is listed in <see cref="MlNetInternals.InternalTypes"/>.</summary>
[TestClass]
public sealed class MlNetInternalsUsageTests
{
    private const string Core = "Microsoft.ML.Core";

    [TestMethod]
    public void OnlyMlNetInternalsTouchesInternalMembers()
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(MlNetInternalsTests.RealCore.Location)!);
        using var library = ModuleDefinition.ReadModule(typeof(MlNetInternals).Assembly.Location, new ReaderParameters { AssemblyResolver = resolver });

        var listed = MlNetInternals.Members.Select(m => (m.DeclaringType, m.Name)).ToHashSet();
        var problems = new List<string>();
        int internalUses = 0;
        foreach (TypeDefinition type in library.GetTypes())
        {
            foreach (MethodDefinition method in type.Methods.Where(m => m.HasBody))
            {
                foreach (Instruction instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is not MemberReference reference || reference is TypeReference || !FromCore(reference.DeclaringType))
                    {
                        continue;
                    }

                    IMemberDefinition? definition = reference switch
                    {
                        MethodReference m => m.Resolve(),
                        FieldReference f => f.Resolve(),
                        _ => null,
                    };
                    if (definition is null)
                    {
                        problems.Add($"{method.FullName}: cannot resolve {reference.FullName} in the real {Core}");
                        continue;
                    }

                    if (IsAccessible(definition))
                    {
                        continue;
                    }

                    internalUses++;
                    string declaring = definition.DeclaringType.FullName.Replace('/', '+');
                    if (Outermost(type).FullName != typeof(MlNetInternals).FullName)
                    {
                        problems.Add($"{method.FullName} uses internal {declaring}.{definition.Name}; only MlNetInternals may (STYLE P3)");
                    }

                    if (!listed.Contains((declaring, definition.Name)))
                    {
                        problems.Add($"{declaring}.{definition.Name} is used but not listed in MlNetInternals.Members");
                    }
                }
            }
        }

        foreach (TypeReference reference in library.GetTypeReferences().Where(FromCore))
        {
            TypeDefinition? definition = reference.Resolve();
            if (definition is not null && !IsVisible(definition) && !MlNetInternals.InternalTypes.Contains(definition.FullName.Replace('/', '+')))
            {
                problems.Add($"internal type {definition.FullName} is named but not listed in MlNetInternals.InternalTypes");
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
        Assert.IsTrue(internalUses >= MlNetInternals.Members.Count - 1,
            $"only {internalUses} internal member uses found; the scan is not seeing MlNetInternals");
    }

    private static bool FromCore(TypeReference type) =>
        type.Scope is AssemblyNameReference { Name: Core } || type.Module.Assembly?.Name.Name == Core && type.Scope is ModuleDefinition;

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static bool IsAccessible(IMemberDefinition member)
    {
        bool memberPublic = member switch
        {
            MethodDefinition m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
            FieldDefinition f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
            _ => false,
        };
        return memberPublic && IsVisible(member.DeclaringType);
    }

    private static bool IsVisible(TypeDefinition type) =>
        type.IsNested ? (type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamilyOrAssembly) && IsVisible(type.DeclaringType) : type.IsPublic;
}
