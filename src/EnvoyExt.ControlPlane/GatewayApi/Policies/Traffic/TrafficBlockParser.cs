using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.BandwidthLimit.Config;
using EnvoyExt.Filters.ConcurrencyLimit.Config;
using EnvoyExt.Filters.Fault.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Traffic;

/// <summary>
/// Reads one TrafficPolicy block (<c>spec.defaults</c> or <c>spec.overrides</c>) into an
/// <see cref="IrTraffic"/> holding the sections it sets. The filter sections are the filters' own
/// documents, checked by their contracts; the Envoy-native sections are checked here. Errors name
/// the field below the block, e.g. <c>retry.numRetries: must be between 0 and 16 (got 20)</c>.
/// Any section may instead be <c>{disabled: true}</c> (alone): it switches that section off for what
/// the policy reaches, whatever weaker policies set.
/// </summary>
internal static class TrafficBlockParser
{
    public const string BandwidthLimitField = "bandwidthLimit";
    public const string FaultInjectionField = "faultInjection";
    public const string ConcurrencyLimitField = "concurrencyLimit";
    public const string TimeoutsField = "timeouts";
    public const string RetryField = "retry";
    public const string CircuitBreakerField = "circuitBreaker";
    public const string DisabledField = "disabled";

    /// <summary>Most retries one request may make (Envoy has no cap; a runaway retry storm needs one).</summary>
    public const int MaxRetries = 16;

    /// <summary>Most retriable status codes in one retry section.</summary>
    public const int MaxStatusCodes = 16;

    /// <summary>Most retry conditions in one retry section.</summary>
    public const int MaxConditions = 16;

    /// <summary>Largest circuit-breaker threshold (Envoy reads uint32; int keeps it in one type).</summary>
    public const int MaxThreshold = int.MaxValue;

    /// <summary>Envoy's HTTP and gRPC retry conditions (router filter's x-envoy-retry-on and x-envoy-retry-grpc-on).</summary>
    public static readonly IReadOnlySet<string> RetryConditions = new HashSet<string>(StringComparer.Ordinal)
    {
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited",
        "retriable-4xx", "refused-stream", "retriable-status-codes", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    };

    private static readonly string[] Sections =
        [BandwidthLimitField, FaultInjectionField, ConcurrencyLimitField, TimeoutsField, RetryField, CircuitBreakerField];

    /// <summary>The sections a block sets (tests and callers that need no disabled sections).</summary>
    public static bool TryParse(JsonObject block, out IrTraffic? traffic, out string? error)
    {
        var ok = TryParseBlock(block, out var parsed, out error);
        traffic = parsed?.Sections;
        return ok;
    }

    public static bool TryParseBlock(JsonObject block, out TrafficBlock? parsed, out string? error)
    {
        parsed = null;
        foreach (var (name, _) in block)
        {
            if (Array.IndexOf(Sections, name) < 0)
            {
                error = $"{name}: unknown field (expected one of {string.Join(", ", Sections)})";
                return false;
            }
        }

        if (block.Count == 0)
        {
            error = $"needs at least one of {string.Join(", ", Sections)}";
            return false;
        }

        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Sections)
        {
            if (block[name] is JsonObject section && section.ContainsKey(DisabledField))
            {
                if (DisabledSection(section, name) is { } disabledError)
                {
                    error = disabledError;
                    return false;
                }

                disabled.Add(name);
            }
        }

        error = null;
        FaultConfig? fault = null;
        BandwidthLimitConfig? bandwidth = null;
        ConcurrencyLimitConfig? concurrency = null;
        long? requestTimeout = null;
        IrRetry? retry = null;
        IrCircuitBreakers? breakers = null;
        if (Section(block, FaultInjectionField, disabled, ref error) is { } faultJson)
        {
            if (faultJson.ContainsKey("seed"))
            {
                error = $"{FaultInjectionField}.seed: not allowed in a policy (draws are seeded per filter object)";
            }
            else if (!FaultConfigJson.TryParse(Utf8(faultJson), out fault, out var e))
            {
                error = $"{FaultInjectionField}.{e}";
            }
        }

        if (error is null && Section(block, BandwidthLimitField, disabled, ref error) is { } bandwidthJson
            && !BandwidthLimitConfigJson.TryParse(Utf8(bandwidthJson), out bandwidth, out var bandwidthError))
        {
            error = $"{BandwidthLimitField}.{bandwidthError}";
        }

        if (error is null && Section(block, ConcurrencyLimitField, disabled, ref error) is { } concurrencyJson
            && !ConcurrencyLimitConfigJson.TryParse(Utf8(concurrencyJson), out concurrency, out var concurrencyError))
        {
            error = $"{ConcurrencyLimitField}.{concurrencyError}";
        }

        if (error is null && Section(block, TimeoutsField, disabled, ref error) is { } timeouts)
        {
            error = Only(timeouts, TimeoutsField, "request") ?? Duration(timeouts, TimeoutsField, "request", allowZero: true, out requestTimeout);
            if (error is null && requestTimeout is null)
            {
                error = $"{TimeoutsField}.request: required";
            }
        }

        if (error is null && Section(block, RetryField, disabled, ref error) is { } retryJson)
        {
            error = Retry(retryJson, out retry);
        }

        if (error is null && Section(block, CircuitBreakerField, disabled, ref error) is { } breakerJson)
        {
            error = CircuitBreakers(breakerJson, out breakers);
        }

        if (error is not null)
        {
            return false;
        }

        parsed = new TrafficBlock(new IrTraffic(fault, bandwidth, concurrency, requestTimeout, retry, breakers), disabled);
        return true;
    }

    // `disabled` must be true and alone: a section either switches off or configures, never both.
    private static string? DisabledSection(JsonObject section, string name)
    {
        if (Bool(section[DisabledField]) is not { } flag)
        {
            return $"{name}.{DisabledField}: must be a boolean";
        }

        if (!flag)
        {
            return $"{name}.{DisabledField}: must be true (leave the section out to inherit it)";
        }

        return section.Count == 1 ? null : $"{name}: {DisabledField} must be the only field when true";
    }

    // Blocks read from YAML hold CLR booleans, blocks read from JSON hold JSON elements.
    private static bool? Bool(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return flag;
        }

        return value.TryGetValue<JsonElement>(out var element) && element.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? element.GetBoolean()
            : null;
    }

    private static string? Retry(JsonObject json, out IrRetry? retry)
    {
        retry = null;
        const string at = RetryField;
        var error = Only(json, at, "retryOn", "numRetries", "perTryTimeout", "backoff", "retriableStatusCodes");
        if (error is not null)
        {
            return error;
        }

        var conditions = new List<string>();
        if (json["retryOn"] is { } retryOn)
        {
            if (retryOn is not JsonArray list || list.Count > MaxConditions)
            {
                return $"{at}.retryOn: must be a list of at most {MaxConditions} conditions";
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonValue v || !v.TryGetValue<string>(out var condition) || !RetryConditions.Contains(condition))
                {
                    return $"{at}.retryOn[{i}]: must be one of {string.Join(", ", RetryConditions.Order(StringComparer.Ordinal))}";
                }

                if (!conditions.Contains(condition))
                {
                    conditions.Add(condition);
                }
            }
        }

        var codes = new List<int>();
        if (json["retriableStatusCodes"] is { } codesJson)
        {
            if (codesJson is not JsonArray list || list.Count > MaxStatusCodes)
            {
                return $"{at}.retriableStatusCodes: must be a list of at most {MaxStatusCodes} status codes";
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (Int(list[i], $"{at}.retriableStatusCodes[{i}]", 100, 599, out var code) is { } codeError)
                {
                    return codeError;
                }

                if (!codes.Contains(code!.Value))
                {
                    codes.Add(code.Value);
                }
            }

            // The codes mean nothing to Envoy without the condition that reads them.
            if (codes.Count > 0 && !conditions.Contains("retriable-status-codes"))
            {
                conditions.Add("retriable-status-codes");
            }
        }

        if (conditions.Count == 0)
        {
            return $"{at}.retryOn: required (at least one condition, or retriableStatusCodes)";
        }

        int? numRetries = null;
        if (json["numRetries"] is { } n && Int(n, $"{at}.numRetries", 0, MaxRetries, out numRetries) is { } numError)
        {
            return numError;
        }

        if (Duration(json, at, "perTryTimeout", allowZero: false, out var perTry) is { } perTryError)
        {
            return perTryError;
        }

        long? baseMs = null;
        long? maxMs = null;
        if (json["backoff"] is { } backoffNode)
        {
            if (backoffNode is not JsonObject backoff)
            {
                return $"{at}.backoff: must be an object";
            }

            error = Only(backoff, at + ".backoff", "baseInterval", "maxInterval")
                ?? Duration(backoff, at + ".backoff", "baseInterval", allowZero: false, out baseMs)
                ?? Duration(backoff, at + ".backoff", "maxInterval", allowZero: false, out maxMs);
            if (error is not null)
            {
                return error;
            }

            if (baseMs is null)
            {
                return $"{at}.backoff.baseInterval: required";
            }

            if (maxMs is { } max && max < baseMs)
            {
                return $"{at}.backoff.maxInterval: must not be shorter than baseInterval";
            }
        }

        retry = new IrRetry(conditions, numRetries, perTry, baseMs, maxMs, codes);
        return null;
    }

    private static string? CircuitBreakers(JsonObject json, out IrCircuitBreakers? breakers)
    {
        breakers = null;
        const string at = CircuitBreakerField;
        string[] names = ["maxConnections", "maxPendingRequests", "maxRequests", "maxRetries"];
        if (Only(json, at, names) is { } error)
        {
            return error;
        }

        if (json.Count == 0)
        {
            return $"{at}: needs at least one of {string.Join(", ", names)}";
        }

        var values = new int?[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (json[names[i]] is { } node && Int(node, $"{at}.{names[i]}", 0, MaxThreshold, out values[i]) is { } valueError)
            {
                return valueError;
            }
        }

        breakers = new IrCircuitBreakers(values[0], values[1], values[2], values[3]);
        return null;
    }

    /// <summary>The section as an object (null when absent); a non-object sets <paramref name="error"/>.</summary>
    private static JsonObject? Section(JsonObject block, string name, HashSet<string> disabled, ref string? error)
    {
        if (error is not null || disabled.Contains(name) || block[name] is not { } node)
        {
            return null;
        }

        if (node is JsonObject section)
        {
            return section;
        }

        error = $"{name}: must be an object";
        return null;
    }

    private static string? Only(JsonObject json, string at, params string[] allowed)
    {
        foreach (var (name, _) in json)
        {
            if (Array.IndexOf(allowed, name) < 0)
            {
                return $"{at}.{name}: unknown field";
            }
        }

        return null;
    }

    private static string? Int(JsonNode? node, string field, int min, int max, out int? value)
    {
        value = null;
        long number;
        if (node is JsonValue clr && clr.TryGetValue<long>(out var integer))
        {
            // Blocks read from YAML hold CLR integers.
            number = integer;
        }
        else if (node is JsonValue json && json.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.Number
            && element.TryGetInt64(out var parsed))
        {
            number = parsed;
        }
        else
        {
            return $"{field}: must be an integer";
        }

        if (number < min || number > max)
        {
            return $"{field}: must be between {min} and {max} (got {number})";
        }

        value = (int)number;
        return null;
    }

    private static string? Duration(JsonObject json, string at, string name, bool allowZero, out long? ms)
    {
        ms = null;
        if (json[name] is not { } node)
        {
            return null;
        }

        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            return $"{at}.{name}: must be a duration string (e.g. 10s, 500ms)";
        }

        ms = GatewayDurations.TryParseMs(text, out var error);
        if (error is not null)
        {
            return $"{at}.{name}: {error}";
        }

        if (ms == 0 && !allowZero)
        {
            ms = null;
            return $"{at}.{name}: must be longer than 0s";
        }

        return null;
    }

    /// <summary>UTF-8 JSON straight from the node tree, for the contracts' byte parsers.</summary>
    private static byte[] Utf8(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
