using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// Reads and writes an enum by its exact, case-sensitive name. Written by hand (not JsonStringEnumConverter)
/// so that a bad value fails with a message listing the accepted names, and so that numbers are refused.
/// </summary>
public abstract class ExactNameEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private readonly (string Name, TEnum Value)[] _names;
    private readonly string _accepted;

    protected ExactNameEnumConverter(params (string Name, TEnum Value)[] names)
    {
        _names = names;
        _accepted = string.Join(", ", names.Select(n => n.Name));
    }

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new RateLimitConfigException($"must be a string, one of {_accepted} (got {JsonTokenDescription.Of(reader.TokenType)})");
        }
        foreach (var (name, value) in _names)
        {
            if (reader.ValueTextEquals(name))
            {
                return value;
            }
        }
        throw new RateLimitConfigException($"must be one of {_accepted} (got \"{reader.GetString()}\")");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        foreach (var (name, candidate) in _names)
        {
            if (EqualityComparer<TEnum>.Default.Equals(candidate, value))
            {
                writer.WriteStringValue(name);
                return;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a valid {typeof(TEnum).Name}");
    }
}

public sealed class ValueMatchTypeJsonConverter() : ExactNameEnumConverter<ValueMatchType>(
    ("Exact", ValueMatchType.Exact),
    ("RegularExpression", ValueMatchType.RegularExpression),
    ("Distinct", ValueMatchType.Distinct));

public sealed class PathMatchTypeJsonConverter() : ExactNameEnumConverter<PathMatchType>(
    ("Exact", PathMatchType.Exact),
    ("PathPrefix", PathMatchType.PathPrefix),
    ("RegularExpression", PathMatchType.RegularExpression));

public sealed class SourceCidrMatchTypeJsonConverter() : ExactNameEnumConverter<SourceCidrMatchType>(
    ("Exact", SourceCidrMatchType.Exact),
    ("Distinct", SourceCidrMatchType.Distinct));

public sealed class RateLimitUnitJsonConverter() : ExactNameEnumConverter<RateLimitUnit>(
    ("Second", RateLimitUnit.Second),
    ("Minute", RateLimitUnit.Minute),
    ("Hour", RateLimitUnit.Hour),
    ("Day", RateLimitUnit.Day),
    ("Week", RateLimitUnit.Week),
    ("Month", RateLimitUnit.Month),
    ("Year", RateLimitUnit.Year));

public sealed class RateLimitHeadersFormatJsonConverter() : ExactNameEnumConverter<RateLimitHeadersFormat>(
    ("Draft03", RateLimitHeadersFormat.Draft03),
    ("IETF", RateLimitHeadersFormat.IETF),
    ("Both", RateLimitHeadersFormat.Both));

public sealed class RateLimitTypeJsonConverter() : ExactNameEnumConverter<RateLimitType>(
    ("Local", RateLimitType.Local),
    ("Global", RateLimitType.Global));

internal static class JsonTokenDescription
{
    public static string Of(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
