using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Sequence.MlNet;

/// <summary>
/// The one place that touches ML.NET's non-public members (STYLE P3). ML.NET 5.0.1 keeps everything a third-party
/// transformer needs to round-trip through <c>mlContext.Model.Save/Load</c> internal; we compile against a publicized
/// copy of Microsoft.ML.Core (build/PublicizeMlNetCore.targets) and run against the real one, which the runtime allows
/// because of <c>[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]</c>.
/// </summary>
/// <remarks>
/// <para>Rule: every <em>member</em> of Microsoft.ML.Core that is not public is called here and nowhere else (a test
/// scans the IL of the whole assembly). The internal <em>types</em> listed in <see cref="InternalTypes"/> may also appear
/// elsewhere, because ML.NET's loading protocol demands them in signatures and attributes: a transformer's
/// <c>[assembly: LoadableClass(typeof(T), null, typeof(SignatureLoadModel), …)]</c> line and its
/// <c>static T Create(IHostEnvironment, ModelLoadContext)</c> factory.</para>
/// <para>Every entry of <see cref="Members"/> and <see cref="InternalTypes"/> is checked against the real
/// Microsoft.ML.Core by <c>MlNetInternalsTests</c>, so an ML.NET upgrade that renames or re-signs one fails that test
/// by name. All of them are unchanged in ML.NET's source from v1.0 to 5.0.</para>
/// <para>Writing to <c>mlContext.Log</c> needs no internal member: <see cref="MlNetLog"/> uses the public
/// <c>IHostEnvironment.Register(…).Start(…)</c> and the public <c>IChannel.Info(MessageSensitivity, string)</c>.</para>
/// </remarks>
internal static class MlNetInternals
{
    /// <summary>The non-public types of Microsoft.ML.Core that our code names, by full name.</summary>
    internal static readonly IReadOnlyList<string> InternalTypes =
    [
        "Microsoft.ML.LoadableClassAttribute",
        "Microsoft.ML.SignatureLoadModel",
        "Microsoft.ML.VersionInfo",
        "Microsoft.ML.ModelLoadContext",
        "Microsoft.ML.Runtime.IHostEnvironmentInternal",
    ];

    /// <summary>The non-public members of Microsoft.ML.Core that we use: declaring type, member name, and the member's
    /// signature as reflection prints it (<c>MemberInfo.ToString()</c>).</summary>
    internal static readonly IReadOnlyList<InternalMember> Members =
    [
        new("Microsoft.ML.LoadableClassAttribute", ".ctor", "Void .ctor(System.Type, System.Type, System.Type, System.String, System.String[])"),
        new("Microsoft.ML.VersionInfo", ".ctor", "Void .ctor(System.String, UInt32, UInt32, UInt32, System.String, System.String, System.String)"),
        new("Microsoft.ML.ModelSaveContext", "CheckAtModel", "Void CheckAtModel()"),
        new("Microsoft.ML.ModelSaveContext", "SetVersionInfo", "Void SetVersionInfo(Microsoft.ML.VersionInfo)"),
        new("Microsoft.ML.ModelSaveContext", "Writer", "System.IO.BinaryWriter Writer"),
        new("Microsoft.ML.ModelSaveContext", "SaveBinaryStream", "Void SaveBinaryStream(System.String, System.Action`1[System.IO.BinaryWriter])"),
        new("Microsoft.ML.ModelSaveContext", "SaveTextStream", "Void SaveTextStream(System.String, System.Action`1[System.IO.TextWriter])"),
        new("Microsoft.ML.ModelLoadContext", "CheckAtModel", "Void CheckAtModel(Microsoft.ML.VersionInfo)"),
        new("Microsoft.ML.ModelLoadContext", "Reader", "System.IO.BinaryReader Reader"),
        new("Microsoft.ML.ModelLoadContext", "TryLoadBinaryStream", "Boolean TryLoadBinaryStream(System.String, System.Action`1[System.IO.BinaryReader])"),
        new("Microsoft.ML.ModelLoadContext", "TryLoadTextStream", "Boolean TryLoadTextStream(System.String, System.Action`1[System.IO.TextReader])"),
        new("Microsoft.ML.SchemaShape+Column", ".ctor", "Void .ctor(System.String, VectorKind, Microsoft.ML.Data.DataViewType, Boolean, Microsoft.ML.SchemaShape)"),
        new("Microsoft.ML.Runtime.IHostEnvironmentInternal", "get_GpuDeviceId", "System.Nullable`1[System.Int32] get_GpuDeviceId()"),
        new("Microsoft.ML.Runtime.IHostEnvironmentInternal", "get_FallbackToCpu", "Boolean get_FallbackToCpu()"),
    ];

    /// <summary>The one non-public member of Microsoft.ML.Data we use, read by reflection (the publicized reference covers
    /// Microsoft.ML.Core only): the environment behind a catalog such as <c>mlContext.BinaryClassification.Trainers</c>,
    /// which ML.NET's own trainers reach through the internal <c>IInternalCatalog</c> interface.</summary>
    internal static readonly InternalMember CatalogEnvironmentMember =
        new("Microsoft.ML.Data.IInternalCatalog", "Environment", "Microsoft.ML.Runtime.IHostEnvironment Environment");

    private static readonly Lazy<PropertyInfo?> CatalogEnvironmentProperty = new(() =>
        typeof(TrainCatalogBase).Assembly.GetType(CatalogEnvironmentMember.DeclaringType)?.GetProperty(CatalogEnvironmentMember.Name));

    /// <summary>The environment (the <c>MLContext</c>'s) behind one of ML.NET's catalogs.</summary>
    /// <param name="catalog">A catalog or trainers object handed to one of our extension methods.</param>
    /// <returns>The environment: seed, log, GPU settings.</returns>
    /// <exception cref="InvalidOperationException">This ML.NET no longer has the member (named in the message).</exception>
    public static IHostEnvironment CatalogEnvironment(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        PropertyInfo property = CatalogEnvironmentProperty.Value ?? throw new InvalidOperationException(
            $"This Microsoft.ML has no {CatalogEnvironmentMember.DeclaringType}.{CatalogEnvironmentMember.Name}; Microsoft.ML.Sequence needs Microsoft.ML 5.x.");
        return property.GetValue(catalog) as IHostEnvironment ?? throw new InvalidOperationException(
            $"{catalog.GetType().FullName} has no ML.NET environment; pass a catalog of an MLContext.");
    }

    /// <summary>The context's <c>GpuDeviceId</c> and <c>FallbackToCpu</c> (public on <c>MLContext</c>, internal on the
    /// environment that catalogs hold).</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The GPU index (null for the CPU) and whether to fall back to the CPU when that GPU is missing.</returns>
    public static (int? GpuDeviceId, bool FallbackToCpu) GpuSettings(IHostEnvironment environment) =>
        environment is IHostEnvironmentInternal settings ? (settings.GpuDeviceId, settings.FallbackToCpu) : (null, false);

    /// <summary>The header ML.NET writes before a component's own bytes and checks on load.</summary>
    /// <param name="modelSignature">Exactly 8 ASCII characters identifying the kind of model.</param>
    /// <param name="versionWritten">The format version this code writes.</param>
    /// <param name="versionReadable">The oldest reader version that can read what this code writes.</param>
    /// <param name="versionWeCanReadBack">The oldest format version this code can read.</param>
    /// <param name="loaderType">A type in the assembly that carries the <c>LoadableClass</c> attribute; its assembly's
    /// full name is stored, and ML.NET loads that assembly by it.</param>
    /// <param name="loaderSignature">The load name given to the <c>LoadableClass</c> attribute (at most 24 characters).</param>
    /// <returns>The version header.</returns>
    public static VersionInfo CreateVersionInfo(
        string modelSignature, uint versionWritten, uint versionReadable, uint versionWeCanReadBack, Type loaderType, string loaderSignature) =>
        new(modelSignature, versionWritten, versionReadable, versionWeCanReadBack, loaderType.Assembly.FullName, loaderSignature);

    /// <summary>Starts a component's save: checks the context is positioned at a model and writes the header.</summary>
    /// <param name="context">The context ML.NET passed to <c>ICanSaveModel.Save</c>.</param>
    /// <param name="version">The component's version header.</param>
    public static void BeginSave(ModelSaveContext context, VersionInfo version)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CheckAtModel();
        context.SetVersionInfo(version);
    }

    /// <summary>The writer of the component's main stream.</summary>
    /// <param name="context">The save context.</param>
    /// <returns>The writer; ML.NET owns it.</returns>
    public static BinaryWriter Writer(ModelSaveContext context) => context.Writer;

    /// <summary>Writes a named binary entry beside the component's main stream.</summary>
    /// <param name="context">The save context.</param>
    /// <param name="name">The entry's name inside the component's folder of the model zip.</param>
    /// <param name="write">Writes the entry's bytes.</param>
    public static void SaveBinaryStream(ModelSaveContext context, string name, Action<BinaryWriter> write) =>
        context.SaveBinaryStream(name, write);

    /// <summary>Writes a named text entry (UTF-8) beside the component's main stream.</summary>
    /// <param name="context">The save context.</param>
    /// <param name="name">The entry's name inside the component's folder of the model zip.</param>
    /// <param name="write">Writes the entry's text.</param>
    public static void SaveTextStream(ModelSaveContext context, string name, Action<TextWriter> write) =>
        context.SaveTextStream(name, write);

    /// <summary>Starts a component's load: checks the header against the versions this code can read.</summary>
    /// <param name="context">The context ML.NET passed to the component's <c>Create</c> factory.</param>
    /// <param name="version">The component's version header.</param>
    public static void BeginLoad(ModelLoadContext context, VersionInfo version)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CheckAtModel(version);
    }

    /// <summary>The reader of the component's main stream.</summary>
    /// <param name="context">The load context.</param>
    /// <returns>The reader; ML.NET owns it.</returns>
    public static BinaryReader Reader(ModelLoadContext context) => context.Reader;

    /// <summary>Reads a named binary entry written by <see cref="SaveBinaryStream"/>.</summary>
    /// <param name="context">The load context.</param>
    /// <param name="name">The entry's name.</param>
    /// <param name="read">Reads the entry's bytes.</param>
    /// <returns><see langword="false"/> when the model has no such entry.</returns>
    public static bool TryLoadBinaryStream(ModelLoadContext context, string name, Action<BinaryReader> read) =>
        context.TryLoadBinaryStream(name, read);

    /// <summary>Reads a named text entry written by <see cref="SaveTextStream"/>.</summary>
    /// <param name="context">The load context.</param>
    /// <param name="name">The entry's name.</param>
    /// <param name="read">Reads the entry's text.</param>
    /// <returns><see langword="false"/> when the model has no such entry.</returns>
    public static bool TryLoadTextStream(ModelLoadContext context, string name, Action<TextReader> read) =>
        context.TryLoadTextStream(name, read);

    /// <summary>A column of an estimator's output <see cref="SchemaShape"/> (the constructor is internal).</summary>
    /// <param name="name">The column name.</param>
    /// <param name="vectorKind">Scalar, fixed-size vector or variable-size vector.</param>
    /// <param name="itemType">The item type (for a vector, the type of one slot).</param>
    /// <param name="isKey">Whether the items are keys.</param>
    /// <param name="annotations">The annotations the column carries, or <see langword="null"/> for none.</param>
    /// <returns>The column shape.</returns>
    public static SchemaShape.Column CreateColumn(
        string name, SchemaShape.Column.VectorKind vectorKind, DataViewType itemType, bool isKey, SchemaShape? annotations = null) =>
        new(name, vectorKind, itemType, isKey, annotations);
}

/// <summary>One non-public member of Microsoft.ML.Core that <see cref="MlNetInternals"/> uses.</summary>
/// <param name="DeclaringType">The declaring type's full name (nested types with <c>+</c>).</param>
/// <param name="Name">The member name (<c>.ctor</c> for a constructor).</param>
/// <param name="Signature">The member as <c>MemberInfo.ToString()</c> prints it.</param>
internal sealed record InternalMember(string DeclaringType, string Name, string Signature);
