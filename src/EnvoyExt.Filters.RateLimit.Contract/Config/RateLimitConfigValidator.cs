namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// Semantic checks that the JSON shape alone cannot express (ranges, required fields, regex and CIDR
/// syntax, combinations). Returns the first error as "json.path: reason", or null when the config is valid.
/// </summary>
internal static class RateLimitConfigValidator
{
    public const int MaxRules = 64;
    public const int MaxSelectors = 8;
    public const int MaxHeaders = 16;
    public const int MaxMethods = 9;
    public const int MaxQueryParams = 16;
    public const int MaxResponseHeaders = 16;
    public const int MaxNameLength = RateLimitFilterContract.MaxLabelLength;
    public const int MaxValueLength = 1024;
    public const long MaxRequests = uint.MaxValue >> 1;
    public const int MaxDistinctBucketsLimit = 1_000_000;
    public const int MaxBodyLength = 64 * 1024;

    private static readonly string[] s_methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

    public static string? Validate(RateLimitConfig config, RateLimitConfigLevel level)
    {
        if (config.Disabled)
        {
            if (level != RateLimitConfigLevel.Route)
            {
                return "disabled: only allowed in a per-route config";
            }
            bool onlyField = config.Name is null && config.Rules is null && config.MaxDistinctBuckets is null &&
                config.Response is null && config.Global is null;
            return onlyField ? null : "disabled: must be the only field when true";
        }
        if (config.Name is not null && CheckLabel("name", config.Name) is { } nameError)
        {
            return nameError;
        }
        if (config.MaxDistinctBuckets is int max && (max < 1 || max > MaxDistinctBucketsLimit))
        {
            return $"maxDistinctBuckets: must be between 1 and {MaxDistinctBucketsLimit} (got {max})";
        }
        if (config.Global is { } global && GlobalSettingsValidator.Validate(global, level) is { } globalError)
        {
            return globalError;
        }
        var rules = config.Rules ?? [];
        if (rules.Count > MaxRules)
        {
            return $"rules: at most {MaxRules} rules (got {rules.Count})";
        }
        var ruleNames = new HashSet<string>(StringComparer.Ordinal);
        var sharedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        int responseCostRules = 0;
        for (int i = 0; i < rules.Count; i++)
        {
            string path = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                return $"{path}: must be an object (got null)";
            }
            if (ValidateRule(rule, path) is { } ruleError)
            {
                return ruleError;
            }
            if (rule.Type == RateLimitType.Global && level == RateLimitConfigLevel.Listener && config.Global is null)
            {
                return $"{path}.type: Global needs the listener-level \"global\" block (the Redis connection)";
            }
            if (rule.CostFrom is not null && ++responseCostRules > RateLimitFilterContract.MaxResponseCostRules)
            {
                return $"{path}.costFrom: at most {RateLimitFilterContract.MaxResponseCostRules} rules of one document take their cost from the response";
            }
            if (rule.Shared is { } shared)
            {
                if (sharedBy.TryGetValue(shared, out int first))
                {
                    if (SharedConflict(rules[first]!, rule) is { } what)
                    {
                        return $"{path}.shared: \"{shared}\" is also used by rules[{first}] with a different {what}";
                    }
                }
                else
                {
                    sharedBy.Add(shared, i);
                }
            }
            string effectiveName = rule.Name ?? $"rule-{i}";
            if (!ruleNames.Add(effectiveName))
            {
                return $"{path}.name: duplicate rule name \"{effectiveName}\"";
            }
        }
        return config.Response is { } response ? ValidateResponse(response) : null;
    }

    private static string? ValidateRule(RateLimitRule rule, string path)
    {
        if (rule.Name is not null && CheckLabel($"{path}.name", rule.Name) is { } nameError)
        {
            return nameError;
        }
        if (rule.Limit is not { } limit)
        {
            return $"{path}.limit: required";
        }
        if (limit.Requests < 1)
        {
            return $"{path}.limit.requests: must be >= 1 (got {limit.Requests})";
        }
        if (limit.Requests > MaxRequests)
        {
            return $"{path}.limit.requests: must be <= {MaxRequests} (got {limit.Requests})";
        }
        if (!Enum.IsDefined(limit.Unit))
        {
            return $"{path}.limit.unit: must be one of Second, Minute, Hour, Day, Week, Month, Year";
        }
        if (rule.Cost is long cost)
        {
            if (cost < 0)
            {
                return $"{path}.cost: must be >= 0 (got {cost})";
            }
            if (cost > limit.Requests)
            {
                return $"{path}.cost: must be <= limit.requests ({limit.Requests}) or no request could ever pass (got {cost})";
            }
        }
        if (rule.CostFrom is { } costFrom && ValidateCostFrom(costFrom, $"{path}.costFrom") is { } costFromError)
        {
            return costFromError;
        }
        if (rule.Shared is { } shared && CheckLabel($"{path}.shared", shared) is { } sharedError)
        {
            return sharedError;
        }
        var selectors = rule.ClientSelectors ?? [];
        if (selectors.Count > MaxSelectors)
        {
            return $"{path}.clientSelectors: at most {MaxSelectors} selectors (got {selectors.Count})";
        }
        for (int s = 0; s < selectors.Count; s++)
        {
            string selectorPath = $"{path}.clientSelectors[{s}]";
            if (selectors[s] is not { } selector)
            {
                return $"{selectorPath}: must be an object (got null)";
            }
            if (ValidateSelector(selector, selectorPath) is { } selectorError)
            {
                return selectorError;
            }
        }
        return null;
    }

    internal static string? SharedConflict(RateLimitRule first, RateLimitRule other) =>
        RateLimitFilterContract.SharedBucketConflict(first, other);

    private static string? ValidateCostFrom(ResponseCostSource source, string path)
    {
        if ((source.Header is null) == (source.BodyField is null))
        {
            return $"{path}: exactly one of header or bodyField";
        }
        if (source.Header is { } header)
        {
            if (CheckHeaderName($"{path}.header", header) is { } headerError)
            {
                return headerError;
            }
            if (header[0] == ':')
            {
                return $"{path}.header: must not be a pseudo-header (\"{header}\")";
            }
            return source.MaxBodyBytes is null ? null : $"{path}.maxBodyBytes: only with bodyField";
        }
        string field = source.BodyField!;
        if (field.Length is 0 or > MaxNameLength)
        {
            return $"{path}.bodyField: must be 1 to {MaxNameLength} characters";
        }
        var segments = field.Split('.');
        if (segments.Length > RateLimitFilterContract.MaxBodyFieldSegments)
        {
            return $"{path}.bodyField: at most {RateLimitFilterContract.MaxBodyFieldSegments} dotted segments (got {segments.Length})";
        }
        if (Array.IndexOf(segments, "") >= 0)
        {
            return $"{path}.bodyField: empty segment in \"{field}\" (a dotted path of member names, such as usage.total_tokens)";
        }
        if (field.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            return $"{path}.bodyField: must not contain control characters";
        }
        if (source.MaxBodyBytes is int max && (max < 1 || max > RateLimitFilterContract.MaxCostBodyBytes))
        {
            return $"{path}.maxBodyBytes: must be between 1 and {RateLimitFilterContract.MaxCostBodyBytes} (got {max})";
        }
        return null;
    }

    private static string? ValidateSelector(ClientSelector selector, string path)
    {
        var headers = selector.Headers ?? [];
        if (headers.Count > MaxHeaders)
        {
            return $"{path}.headers: at most {MaxHeaders} (got {headers.Count})";
        }
        for (int i = 0; i < headers.Count; i++)
        {
            string p = $"{path}.headers[{i}]";
            if (headers[i] is not { } h)
            {
                return $"{p}: must be an object (got null)";
            }
            if ((CheckHeaderName($"{p}.name", h.Name) ?? CheckValueMatch(p, h.Type, h.Value, h.Invert)) is { } e)
            {
                return e;
            }
        }
        var methods = selector.Methods ?? [];
        if (methods.Count > MaxMethods)
        {
            return $"{path}.methods: at most {MaxMethods} (got {methods.Count})";
        }
        for (int i = 0; i < methods.Count; i++)
        {
            string p = $"{path}.methods[{i}]";
            if (methods[i] is not { } m)
            {
                return $"{p}: must be an object (got null)";
            }
            if (m.Value is null)
            {
                return $"{p}.value: required";
            }
            if (Array.IndexOf(s_methods, m.Value) < 0)
            {
                return $"{p}.value: must be one of {string.Join(", ", s_methods)} (got \"{m.Value}\")";
            }
        }
        if (selector.Path is { } pathMatch && ValidatePath(pathMatch, $"{path}.path") is { } pathError)
        {
            return pathError;
        }
        if (selector.SourceCidr is { } cidr)
        {
            string p = $"{path}.sourceCIDR";
            if (cidr.Value is null)
            {
                return $"{p}.value: required";
            }
            if (!CidrSyntax.TryParse(cidr.Value, out _, out _, out string? reason))
            {
                return $"{p}.value: {reason}";
            }
            if (cidr.Invert && cidr.Type == SourceCidrMatchType.Distinct)
            {
                return $"{p}.invert: not allowed with type Distinct";
            }
        }
        var queryParams = selector.QueryParams ?? [];
        if (queryParams.Count > MaxQueryParams)
        {
            return $"{path}.queryParams: at most {MaxQueryParams} (got {queryParams.Count})";
        }
        for (int i = 0; i < queryParams.Count; i++)
        {
            string p = $"{path}.queryParams[{i}]";
            if (queryParams[i] is not { } q)
            {
                return $"{p}: must be an object (got null)";
            }
            if (string.IsNullOrEmpty(q.Name))
            {
                return $"{p}.name: required";
            }
            if (q.Name.Length > MaxNameLength)
            {
                return $"{p}.name: at most {MaxNameLength} characters";
            }
            if (CheckValueMatch(p, q.Type, q.Value, q.Invert) is { } e)
            {
                return e;
            }
        }
        return null;
    }

    private static string? ValidatePath(PathMatch match, string path)
    {
        if (match.Value is null)
        {
            return $"{path}.value: required";
        }
        if (match.Value.Length > MaxValueLength)
        {
            return $"{path}.value: at most {MaxValueLength} characters";
        }
        if (match.Type == PathMatchType.RegularExpression)
        {
            return RegexSyntax.Check(match.Value) is { } reason ? $"{path}.value: {reason}" : null;
        }
        if (!match.Value.StartsWith('/'))
        {
            return $"{path}.value: must start with '/' (got \"{match.Value}\")";
        }
        if (match.Value.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            return $"{path}.value: must not contain a query or fragment";
        }
        return null;
    }

    private static string? CheckValueMatch(string path, ValueMatchType type, string? value, bool invert)
    {
        switch (type)
        {
            case ValueMatchType.Distinct:
                if (value is not null)
                {
                    return $"{path}.value: not allowed with type Distinct (every value gets its own bucket)";
                }
                return invert ? $"{path}.invert: not allowed with type Distinct" : null;
            case ValueMatchType.RegularExpression:
                if (value is null)
                {
                    return $"{path}.value: required";
                }
                return RegexSyntax.Check(value) is { } reason ? $"{path}.value: {reason}" : null;
            default:
                if (value is null)
                {
                    return $"{path}.value: required";
                }
                return value.Length > MaxValueLength ? $"{path}.value: at most {MaxValueLength} characters" : null;
        }
    }

    private static string? CheckHeaderName(string path, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"{path}: required";
        }
        if (name.Length > MaxNameLength)
        {
            return $"{path}: at most {MaxNameLength} characters";
        }
        // Pseudo-headers (":authority") are headers in Envoy's map too.
        ReadOnlySpan<char> token = name[0] == ':' ? name.AsSpan(1) : name;
        foreach (char c in token)
        {
            if (!IsTokenChar(c))
            {
                return $"{path}: not a valid header name (\"{name}\")";
            }
        }
        return token.IsEmpty ? $"{path}: not a valid header name (\"{name}\")" : null;
    }

    private static string? ValidateResponse(RateLimitResponse response)
    {
        if (response.StatusCode is int status && (status < 400 || status > 599))
        {
            return $"response.statusCode: must be between 400 and 599 (got {status})";
        }
        if (response.Body is { Length: > MaxBodyLength })
        {
            return $"response.body: at most {MaxBodyLength} characters";
        }
        var headers = response.Headers ?? [];
        if (headers.Count > MaxResponseHeaders)
        {
            return $"response.headers: at most {MaxResponseHeaders} (got {headers.Count})";
        }
        for (int i = 0; i < headers.Count; i++)
        {
            string p = $"response.headers[{i}]";
            if (headers[i] is not { } h)
            {
                return $"{p}: must be an object (got null)";
            }
            if (CheckHeaderName($"{p}.name", h.Name) is { } nameError)
            {
                return nameError;
            }
            if (h.Name![0] == ':')
            {
                return $"{p}.name: pseudo-headers cannot be added (\"{h.Name}\")";
            }
            if (h.Value is null)
            {
                return $"{p}.value: required";
            }
            if (h.Value.Length > MaxValueLength)
            {
                return $"{p}.value: at most {MaxValueLength} characters";
            }
            if (h.Value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                return $"{p}.value: must not contain CR, LF or NUL";
            }
        }
        return null;
    }

    private static string? CheckLabel(string path, string value)
    {
        if (value.Length == 0)
        {
            return $"{path}: must not be empty";
        }
        if (value.Length > MaxNameLength)
        {
            return $"{path}: at most {MaxNameLength} characters";
        }
        return value.AsSpan().ContainsAnyInRange('\0', '\x1f') ? $"{path}: must not contain control characters" : null;
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or
            '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
