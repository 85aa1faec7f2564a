using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.Fault.Config;

/// <summary>
/// Source-generated (reflection-free) serializer: unknown and duplicate properties are errors, names are
/// case-sensitive, comments, trailing commas and quoted numbers are refused.
/// </summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = false,
    MaxDepth = 8)]
[JsonSerializable(typeof(FaultConfig))]
internal sealed partial class FaultJsonContext : JsonSerializerContext;
