using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnvoyExt.Filters.Contracts;

/// <summary>
/// Rewrites System.Text.Json's errors into the contract's short forms: its path "<c>$.a[0].b</c>"
/// becomes "<c>a[0].b</c>" (the document itself is "<c>config</c>"), and its framework wording becomes
/// "unknown field", "required", "wrong JSON type, expected …" or "duplicate field".
/// </summary>
public static partial class JsonErrorDescriber
{
    /// <summary>The "<c>json.path: reason</c>" text for a deserialization error.</summary>
    public static string Describe(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        string path = ToContractPath(ex.Path);
        if (ex is ContractFieldException)
        {
            return $"{path}: {ex.Message}";
        }
        string message = ex.Message;
        var unmapped = UnmappedPropertyPattern().Match(message);
        if (unmapped.Success)
        {
            string field = unmapped.Groups[1].Value;
            // Depending on where the reader stopped, the path may already end with the property.
            string named = path == field || path.EndsWith("." + field, StringComparison.Ordinal)
                ? path
                : JoinPath(path, field);
            return $"{named}: unknown field";
        }
        var missing = MissingRequiredPattern().Match(message);
        if (missing.Success)
        {
            return $"{JoinPath(path, missing.Groups[1].Value)}: required";
        }
        var conversion = ConversionPattern().Match(message);
        if (conversion.Success)
        {
            return $"{path}: wrong JSON type, expected {ExpectedShape(conversion.Groups[1].Value)}";
        }
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"{path}: duplicate field";
        }
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        string reason = cut >= 0 ? message[..cut] : message;
        return $"{path}: invalid JSON: {reason.TrimEnd('.')}";
    }

    private static string ToContractPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "config";
        }
        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }

    private static string JoinPath(string parent, string field) => parent == "config" ? field : $"{parent}.{field}";

    // The CLR type in the framework's message, said the way a JSON author thinks of it.
    private static string ExpectedShape(string clrType)
    {
        if (clrType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal)
            || clrType.StartsWith("System.Collections.Generic.IReadOnlyList", StringComparison.Ordinal)
            || clrType.EndsWith("[]", StringComparison.Ordinal))
        {
            return "an array";
        }
        if (clrType.Contains("Int64", StringComparison.Ordinal) || clrType.Contains("Int32", StringComparison.Ordinal)
            || clrType.Contains("UInt", StringComparison.Ordinal))
        {
            return "an integer";
        }
        if (clrType.Contains("Double", StringComparison.Ordinal) || clrType.Contains("Decimal", StringComparison.Ordinal))
        {
            return "a number";
        }
        if (clrType.Contains("Boolean", StringComparison.Ordinal))
        {
            return "true or false";
        }
        if (clrType.Contains("System.String", StringComparison.Ordinal))
        {
            return "a string";
        }
        return "an object";
    }

    [GeneratedRegex(@"JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedPropertyPattern();

    [GeneratedRegex(@"missing required properties including: '([^']*)'")]
    private static partial Regex MissingRequiredPattern();

    [GeneratedRegex(@"could not be converted to ([^ ]+?)\.? Path")]
    private static partial Regex ConversionPattern();
}
