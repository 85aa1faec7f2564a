using System.Globalization;

namespace EnvoyExt.Filters.ExtAuth.Config;

/// <summary>Presence, range and syntax checks; returns the first error as "json.path: reason", or null when valid.</summary>
internal static class ExtAuthConfigValidator
{
    public static string? Validate(ExtAuthConfig config)
    {
        if (config.Disabled is { } disabled)
        {
            if (!disabled)
            {
                return "disabled: only true is meaningful; leave the field out instead";
            }
            return HasSettings(config) ? "disabled: must be the only field when true" : null;
        }
        if (config.Protocol is { } protocol && protocol is not ("http" or "grpc"))
        {
            return $"protocol: must be \"http\" or \"grpc\" (got \"{protocol}\")";
        }
        if (config.Cluster is not { } cluster)
        {
            return "cluster: required";
        }
        if (Token(cluster, "cluster") is { } clusterError)
        {
            return clusterError;
        }
        if (config.Authority is { } authority && Token(authority, "authority") is { } authorityError)
        {
            return authorityError;
        }
        if (config.MetadataNamespace is { } metadataNamespace)
        {
            if (config.ParsedProtocol != ExtAuthProtocol.Grpc)
            {
                return "metadataNamespace: only with protocol \"grpc\" (an HTTP answer carries no metadata)";
            }
            if (Token(metadataNamespace, "metadataNamespace") is { } namespaceError)
            {
                return namespaceError;
            }
        }
        if (config.TimeoutMs is { } timeout && (timeout < 1 || timeout > ExtAuthFilterContract.MaxTimeoutMs))
        {
            return Invariant($"timeoutMs: must be between 1 and {ExtAuthFilterContract.MaxTimeoutMs} (got {timeout})");
        }
        if (config.PathPrefix is { } prefix)
        {
            if (config.ParsedProtocol == ExtAuthProtocol.Grpc)
            {
                return "pathPrefix: only for protocol \"http\"";
            }
            if (prefix.Length == 0 || prefix[0] != '/' || prefix.EndsWith('/'))
            {
                return "pathPrefix: must start with '/' and not end with '/'";
            }
            if (Token(prefix, "pathPrefix") is { } prefixError)
            {
                return prefixError;
            }
        }
        if (HeaderNames(config.HeadersToExtAuth, "headersToExtAuth") is { } toAuthError)
        {
            return toAuthError;
        }
        if (config.HeadersToBackend is not null && config.ParsedProtocol == ExtAuthProtocol.Grpc)
        {
            return "headersToBackend: only for protocol \"http\" (a gRPC service sends header mutations)";
        }
        if (HeaderNames(config.HeadersToBackend, "headersToBackend") is { } toBackendError)
        {
            return toBackendError;
        }
        if (config.MaxRequestBytes is { } max && (max < 0 || max > ExtAuthFilterContract.MaxRequestBytesLimit))
        {
            return Invariant($"maxRequestBytes: must be between 0 and {ExtAuthFilterContract.MaxRequestBytesLimit} (got {max})");
        }
        if (config.AllowPartialMessage == true && config.MaxRequestBytes is null or 0)
        {
            return "allowPartialMessage: needs maxRequestBytes above 0";
        }
        if (config.StatusOnError is { } status && (status < 200 || status > 599))
        {
            return Invariant($"statusOnError: must be an HTTP status between 200 and 599 (got {status})");
        }
        return null;
    }

    private static bool HasSettings(ExtAuthConfig c) =>
        c.Protocol is not null || c.Cluster is not null || c.Authority is not null || c.TimeoutMs is not null ||
        c.PathPrefix is not null || c.HeadersToExtAuth is not null || c.HeadersToBackend is not null ||
        c.MaxRequestBytes is not null || c.AllowPartialMessage is not null || c.StatusOnError is not null ||
        c.FailOpen is not null || c.MetadataNamespace is not null;

    // Visible ASCII without spaces: names and paths that go on the wire as they are.
    private static string? Token(string value, string field)
    {
        if (value.Length == 0 || value.Length > ExtAuthFilterContract.MaxNameLength)
        {
            return Invariant($"{field}: must be 1 to {ExtAuthFilterContract.MaxNameLength} characters (got {value.Length})");
        }
        foreach (char c in value)
        {
            if (c < 0x21 || c > 0x7e)
            {
                return $"{field}: must be printable ASCII without spaces";
            }
        }
        return null;
    }

    private static string? HeaderNames(List<string>? names, string field)
    {
        if (names is null)
        {
            return null;
        }
        if (names.Count > ExtAuthFilterContract.MaxHeaderNames)
        {
            return Invariant($"{field}: at most {ExtAuthFilterContract.MaxHeaderNames} names (got {names.Count})");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            string path = Invariant($"{field}[{i}]");
            string? name = names[i];
            if (name is null)
            {
                return $"{path}: must be a string";
            }
            if (Token(name, path) is { } error)
            {
                return error;
            }
            if (name[0] == ':')
            {
                return $"{path}: '{name}' is a pseudo-header";
            }
            foreach (char c in name)
            {
                if (c is >= 'A' and <= 'Z')
                {
                    return $"{path}: must be lower-case";
                }
            }
            if (!seen.Add(name))
            {
                return $"{path}: '{name}' is listed twice";
            }
        }
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
