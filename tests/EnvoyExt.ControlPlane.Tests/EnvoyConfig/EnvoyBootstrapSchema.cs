using System.Reflection;
using Envoy.Config.Bootstrap.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>
/// Parses a bootstrap the strict way Envoy does: every field must exist in our proto subset
/// (src/EnvoyExt.Xds.Api/protos), and every <c>@type</c> payload is resolved and parsed with the
/// same rules, so a misspelling inside a typed_config fails just like one at the top level.
/// </summary>
internal static class EnvoyBootstrapSchema
{
    public static TypeRegistry Registry { get; } = BuildRegistry();

    private static readonly JsonParser s_parser = new(
        JsonParser.Settings.Default.WithIgnoreUnknownFields(false).WithTypeRegistry(Registry));

    /// <summary>Throws <see cref="InvalidProtocolBufferException"/> (or <see cref="FormatException"/>) naming the offending field.</summary>
    public static Bootstrap ParseYaml(string yaml) => s_parser.Parse<Bootstrap>(EnvoyYamlToJson.Convert(yaml));

    /// <summary>The message inside an Any, or an exception when its type is not one of ours.</summary>
    public static IMessage Unpack(Any any)
    {
        string typeName = Any.GetTypeName(any.TypeUrl);
        var descriptor = Registry.Find(typeName)
            ?? throw new InvalidOperationException($"{any.TypeUrl}: type not in our proto subset");
        return descriptor.Parser.ParseFrom(any.Value);
    }

    // Every generated file of EnvoyExt.Xds.Api plus the well-known types Envoy configs carry in Any.
    private static TypeRegistry BuildRegistry()
    {
        var files = typeof(Bootstrap).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p is not null && p.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .ToList();
        files.Add(WrappersReflection.Descriptor);
        files.Add(StructReflection.Descriptor);
        files.Add(DurationReflection.Descriptor);
        files.Add(EmptyReflection.Descriptor);
        return TypeRegistry.FromFiles(files);
    }
}
