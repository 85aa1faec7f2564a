using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// Source-generated (reflection-free) serializer for the config document: the module is NativeAOT with
/// trimming. Unknown and duplicate properties are errors, names are case-sensitive, comments and trailing
/// commas are refused so that the controller and the filter agree byte for byte on what is valid.
/// </summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(RateLimitConfig))]
internal sealed partial class RateLimitJsonContext : JsonSerializerContext;
