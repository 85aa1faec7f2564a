using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// The HTTPRoute <c>ExternalAuth</c> filter (GEP-1494) as an ext_auth document: the backendRef becomes a
/// cluster (HTTP/2 for GRPC; cross-namespace only with a ReferenceGrant), the header lists and the body
/// size carry over, and the result is checked by the filter's own contract.
/// </summary>
internal static class ExternalAuthTranslator
{
    /// <summary>The document, or null after reporting why (the rule then answers 500 rather than skip the check).</summary>
    public static IrExtAuth? Translate(
        BackendResolver backends, string routeKind, string routeNamespace, ExternalAuthFilter auth, string field, RouteProblems problems)
    {
        string? protocol = auth.Protocol switch
        {
            "HTTP" => "http",
            "GRPC" => "grpc",
            _ => null,
        };
        if (protocol is null)
        {
            problems.Unsupported($"{field}.protocol: must be HTTP or GRPC (got {auth.Protocol})");
            return null;
        }

        bool grpc = protocol == "grpc";
        var resolved = backends.Resolve(routeKind, routeNamespace, auth.BackendRef, field + ".backendRef", http2: grpc);
        if (resolved.ClusterName is null)
        {
            problems.Unresolved(resolved.FailureReason!, resolved.Message!);
            return null;
        }

        var config = new ExtAuthConfig
        {
            Protocol = protocol,
            Cluster = resolved.ClusterName,
            PathPrefix = string.IsNullOrEmpty(auth.HttpPath) || auth.HttpPath == "/" ? null : auth.HttpPath.TrimEnd('/'),
            HeadersToExtAuth = Lower(auth.AllowedHeaders),
            HeadersToBackend = grpc ? null : Lower(auth.AllowedResponseHeaders),
            MaxRequestBytes = auth.ForwardBodyMaxSize is > 0 ? auth.ForwardBodyMaxSize : null,
        };
        var json = ExtAuthConfigJson.Serialize(config);
        if (!ExtAuthConfigJson.TryParse(json, out var checkedConfig, out var error))
        {
            problems.Unsupported($"{field}: {Describe(error!)}");
            return null;
        }

        return new IrExtAuth(checkedConfig!, resolved.ClusterName);
    }

    private static List<string>? Lower(IReadOnlyList<string> names) =>
        names.Count == 0 ? null : names.Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    // The contract's field names, in the Gateway API's words.
    private static string Describe(string error) => error
        .Replace("pathPrefix", "http.path", StringComparison.Ordinal)
        .Replace("headersToExtAuth", "allowedHeaders", StringComparison.Ordinal)
        .Replace("headersToBackend", "http.allowedResponseHeaders", StringComparison.Ordinal)
        .Replace("maxRequestBytes", "forwardBody.maxSize", StringComparison.Ordinal);
}
