using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.Auth.Config;

/// <summary>
/// Source-generated (reflection-free) serializer for the config document. Unknown and duplicate
/// properties are errors and names are case-sensitive, so the controller and the filter agree on what is valid.
/// </summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(AuthConfig))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
