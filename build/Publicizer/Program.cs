using Mono.Cecil;

// Publicizer <input.dll> <output.dll>
//
// Writes a copy of <input.dll> in which every type and member is public, so that C# code can be compiled against the
// assembly's internals. The copy is a compile-time reference only: at run time the real (signed) assembly is loaded, and
// the caller's [assembly: IgnoresAccessChecksTo("<name>")] makes the runtime allow the access.
//
// Left as they are: compiler-generated types and members (names starting with '<'), explicit interface implementations,
// and types in System.* and Microsoft.CodeAnalysis.* (polyfilled attributes that would clash with the framework's own).
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Publicizer <input.dll> <output.dll>");
    return 2;
}

string input = Path.GetFullPath(args[0]);
string output = Path.GetFullPath(args[1]);
try
{
    int changed = 0;
    using (var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { ReadingMode = ReadingMode.Immediate, InMemory = true }))
    {
        foreach (ModuleDefinition module in assembly.Modules)
        {
            foreach (TypeDefinition type in module.GetTypes())
            {
                changed += Publicize(type);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string temporary = output + ".tmp";
        assembly.Write(temporary);
        File.Move(temporary, output, overwrite: true);
    }

    Console.WriteLine($"Publicizer: {Path.GetFileName(input)} -> {output} ({changed} types and members made public)");
    return 0;
}
catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"Publicizer: error: cannot publicize {input}: {e.Message}");
    return 1;
}

static int Publicize(TypeDefinition type)
{
    if (IsCompilerGenerated(type.Name) || IsFrameworkNamespace(TopLevel(type).Namespace))
    {
        return 0;
    }

    int changed = 0;
    if (type.IsNested ? !type.IsNestedPublic : !type.IsPublic)
    {
        type.Attributes = (type.Attributes & ~TypeAttributes.VisibilityMask)
            | (type.IsNested ? TypeAttributes.NestedPublic : TypeAttributes.Public);
        changed++;
    }

    foreach (MethodDefinition method in type.Methods)
    {
        if (!method.IsPublic && !IsCompilerGenerated(method.Name) && !IsExplicitImplementation(method))
        {
            method.Attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask) | MethodAttributes.Public;
            changed++;
        }
    }

    foreach (FieldDefinition field in type.Fields)
    {
        if (!field.IsPublic && !IsCompilerGenerated(field.Name))
        {
            field.Attributes = (field.Attributes & ~FieldAttributes.FieldAccessMask) | FieldAttributes.Public;
            changed++;
        }
    }

    return changed;
}

static TypeDefinition TopLevel(TypeDefinition type)
{
    while (type.DeclaringType is not null)
    {
        type = type.DeclaringType;
    }

    return type;
}

static bool IsCompilerGenerated(string name) => name.StartsWith('<');

static bool IsFrameworkNamespace(string ns) =>
    ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)
    || ns == "Microsoft.CodeAnalysis" || ns.StartsWith("Microsoft.CodeAnalysis.", StringComparison.Ordinal);

// An explicit interface implementation is private and named "Namespace.IInterface.Member"; making it public would
// add a member C# cannot name and change nothing we need.
static bool IsExplicitImplementation(MethodDefinition method) => method.HasOverrides && method.Name.Contains('.');
