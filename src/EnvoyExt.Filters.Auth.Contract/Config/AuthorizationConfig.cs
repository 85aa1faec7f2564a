using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.Auth.Config;

/// <summary>Rules checked after authentication: the first rule that matches decides, else the default.</summary>
public sealed class AuthorizationConfig
{
    /// <summary><c>allow</c> (when absent) or <c>deny</c>.</summary>
    [JsonPropertyName("defaultAction")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DefaultAction { get; set; }

    [JsonPropertyName("rules")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<AuthorizationRule>? Rules { get; set; }
}

/// <summary>A rule matches when every condition it states holds (a list matches when any element does).</summary>
public sealed class AuthorizationRule
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary><c>allow</c> or <c>deny</c>.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; set; }

    /// <summary>Client address in one of these CIDRs.</summary>
    [JsonPropertyName("sourceCidrs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? SourceCidrs { get; set; }

    /// <summary>Request method is one of these (upper case).</summary>
    [JsonPropertyName("methods")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Methods { get; set; }

    /// <summary>Request path (before '?') starts with one of these.</summary>
    [JsonPropertyName("pathPrefixes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? PathPrefixes { get; set; }

    /// <summary>Every listed header has the given value (or is present when no value is given).</summary>
    [JsonPropertyName("headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<NameValueMatch>? Headers { get; set; }

    /// <summary>
    /// Every listed JWT claim holds the value: equal to a string claim, one of the space-separated words
    /// of a string claim (<c>scope</c>), or an element of an array claim.
    /// </summary>
    [JsonPropertyName("claims")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<NameValueMatch>? Claims { get; set; }
}

/// <summary>A name and an optional exact value.</summary>
public sealed class NameValueMatch
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Value { get; set; }
}
