using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EnvoyExt.Filters.Contracts;

/// <summary>
/// Parses and validates a filter's configuration document. Every error reads "<c>json.path: reason</c>",
/// so that Envoy's log line and the controller's status name the offending field.
/// </summary>
public static class ContractJson
{
    /// <summary>
    /// Deserializes <paramref name="utf8Json"/> with the contract's source-generated
    /// <paramref name="typeInfo"/>, then runs <paramref name="validate"/> (null when valid).
    /// </summary>
    public static bool TryParse<T>(
        ReadOnlySpan<byte> utf8Json,
        JsonTypeInfo<T> typeInfo,
        Func<T, string?> validate,
        out T? config,
        out string? error)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(validate);
        config = null;
        T? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(utf8Json, typeInfo);
        }
        catch (JsonException ex)
        {
            error = JsonErrorDescriber.Describe(ex);
            return false;
        }
        if (parsed is null)
        {
            error = "config: must be a JSON object (got null)";
            return false;
        }
        error = validate(parsed);
        if (error is not null)
        {
            return false;
        }
        config = parsed;
        return true;
    }
}
