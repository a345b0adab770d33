// The runtime reads this attribute by name: an assembly that carries [IgnoresAccessChecksTo("X")] may use X's
// non-public types and members. The compiler needs them public, which build/PublicizeMlNetCore.targets arranges at
// compile time only (see MlNetInternals for the members we use and why).
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]

namespace System.Runtime.CompilerServices;

/// <summary>Lets this assembly use the non-public types and members of the named assembly at run time.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="assemblyName">The simple name of the assembly whose access checks are skipped.</param>
    public IgnoresAccessChecksToAttribute(string assemblyName)
    {
        AssemblyName = assemblyName;
    }

    /// <summary>The simple name of the assembly whose access checks are skipped.</summary>
    public string AssemblyName { get; }
}
