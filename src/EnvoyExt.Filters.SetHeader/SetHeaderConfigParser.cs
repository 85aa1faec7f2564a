using System.Text;
using System.Text.Json;

namespace EnvoyExt.Filters.SetHeader;

/// <summary>
/// Parses and validates a set_header document (docs/filters/set-header.md):
/// <c>{"headers": [{"name": "x-a", "value": "1"}], "responseHeaders": [...]}</c>. Errors name the field
/// (<c>headers[1].value: must not contain CR, LF or NUL</c>). JsonDocument reads without reflection,
/// so this is AOT-clean.
/// </summary>
internal static class SetHeaderConfigParser
{
    public const int MaxHeaders = 32;
    public const int MaxNameBytes = 256;
    public const int MaxValueBytes = 8192;
    public const int MaxDocumentBytes = 64 * 1024;

    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 8 };

    public static SetHeaderRules? TryParse(ReadOnlySpan<byte> json, out string? error)
    {
        if (json.Length > MaxDocumentBytes)
        {
            error = $"$: document larger than {MaxDocumentBytes} bytes";
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), s_options);
        }
        catch (JsonException ex)
        {
            error = $"$: invalid JSON: {ex.Message}";
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "$: must be a JSON object";
                return null;
            }
            HeaderToSet[] request = [];
            HeaderToSet[] response = [];
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "headers":
                        if (!TryParseList(property.Value, "headers", out request, out error))
                        {
                            return null;
                        }
                        break;
                    case "responseHeaders":
                        if (!TryParseList(property.Value, "responseHeaders", out response, out error))
                        {
                            return null;
                        }
                        break;
                    default:
                        error = $"{property.Name}: unknown field (expected headers, responseHeaders)";
                        return null;
                }
            }
            error = null;
            return new SetHeaderRules(request, response);
        }
    }

    private static bool TryParseList(JsonElement list, string path, out HeaderToSet[] headers, out string? error)
    {
        headers = [];
        if (list.ValueKind != JsonValueKind.Array)
        {
            error = $"{path}: must be an array";
            return false;
        }
        if (list.GetArrayLength() > MaxHeaders)
        {
            error = $"{path}: at most {MaxHeaders} entries (got {list.GetArrayLength()})";
            return false;
        }
        var parsed = new List<HeaderToSet>();
        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            var at = $"{path}[{index}]";
            if (!TryParseHeader(entry, at, out var header, out error))
            {
                return false;
            }
            var duplicate = parsed.FindIndex(h => h.Name.AsSpan().SequenceEqual(header.Name));
            if (duplicate >= 0)
            {
                error = $"{at}.name: '{Encoding.UTF8.GetString(header.Name)}' is already set by {path}[{duplicate}]";
                return false;
            }
            parsed.Add(header);
            index++;
        }
        headers = [.. parsed];
        error = null;
        return true;
    }

    private static bool TryParseHeader(JsonElement entry, string at, out HeaderToSet header, out string? error)
    {
        header = null!;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            error = $"{at}: must be an object with name and value";
            return false;
        }
        string? name = null;
        string? value = null;
        foreach (var property in entry.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name" when property.Value.ValueKind == JsonValueKind.String:
                    name = property.Value.GetString();
                    break;
                case "value" when property.Value.ValueKind == JsonValueKind.String:
                    value = property.Value.GetString();
                    break;
                case "name" or "value":
                    error = $"{at}.{property.Name}: must be a string";
                    return false;
                default:
                    error = $"{at}.{property.Name}: unknown field (expected name, value)";
                    return false;
            }
        }
        if (name is null)
        {
            error = $"{at}.name: required";
            return false;
        }
        if (value is null)
        {
            error = $"{at}.value: required";
            return false;
        }
        if (!IsValidName(name, out var why))
        {
            error = $"{at}.name: {why}";
            return false;
        }
        if (HasControl(value))
        {
            error = $"{at}.value: must not contain CR, LF or NUL";
            return false;
        }
        var valueBytes = Encoding.UTF8.GetBytes(value);
        if (valueBytes.Length > MaxValueBytes)
        {
            error = $"{at}.value: at most {MaxValueBytes} bytes (got {valueBytes.Length})";
            return false;
        }
        header = new HeaderToSet(Encoding.UTF8.GetBytes(name), valueBytes);
        error = null;
        return true;
    }

    // Envoy keeps header names lower-case; pseudo-headers (:path, ...) are not headers to set.
    private static bool IsValidName(string name, out string why)
    {
        if (name.Length == 0)
        {
            why = "must not be empty";
            return false;
        }
        if (HasControl(name))
        {
            why = "must not contain CR, LF or NUL";
            return false;
        }
        if (name.Length > MaxNameBytes)
        {
            why = $"at most {MaxNameBytes} characters (got {name.Length})";
            return false;
        }
        if (name[0] == ':')
        {
            why = $"'{name}' is a pseudo-header";
            return false;
        }
        foreach (var c in name)
        {
            if (!IsTokenChar(c))
            {
                why = $"'{name}' is not a lower-case HTTP header name";
                return false;
            }
        }
        why = "";
        return true;
    }

    private static bool HasControl(string text) => text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;

    // RFC 9110 token characters, upper case excluded.
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
