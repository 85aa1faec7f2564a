namespace EnvoyExt.ControlPlane.Ir;

/// <summary>What a route does: exactly one of <see cref="IrForward"/>, <see cref="IrRedirect"/>, <see cref="IrDirectResponse"/>.</summary>
public abstract record IrRouteAction;

/// <summary>
/// Proxy to weighted clusters. Backends with weight 0 and invalid backends are already left out;
/// when no valid backend remains the translator emits <see cref="IrDirectResponse"/> 500 instead,
/// so Backends is never empty.
/// </summary>
/// <param name="Timeouts">Envoy-native timeouts of the route; null: Envoy's defaults.</param>
/// <param name="Retry">Envoy's retry policy from the route itself (HTTPRoute retry); null: none of its own.</param>
public sealed record IrForward(IReadOnlyList<IrWeightedCluster> Backends, IrUrlRewrite? Rewrite, IrTimeouts? Timeouts = null, IrRetry? Retry = null) : IrRouteAction;

/// <summary>
/// Route timeouts in milliseconds; 0 switches the timeout off, null leaves Envoy's default.
/// </summary>
/// <param name="RequestMs">The whole request, from the first byte received to the last byte of the response.</param>
/// <param name="BackendRequestMs">One attempt to a backend (Envoy's per-try timeout).</param>
public sealed record IrTimeouts(long? RequestMs, long? BackendRequestMs);

/// <summary>
/// HTTP redirect. Null fields keep the request's value. Port is resolved per listener by the IR
/// builder (the filter's port, else the scheme's well-known port, else the listener's); null means
/// the default port of the resulting scheme, which the Location leaves out (the xDS translator
/// omits port_redirect).
/// </summary>
/// <param name="StatusCode">301, 302, 303, 307 or 308.</param>
public sealed record IrRedirect(string? Scheme, string? Hostname, IrPathModifier? Path, int? Port, int StatusCode) : IrRouteAction;

/// <summary>A fixed answer, e.g. 500 when a rule has no valid backend (the spec requires 500).</summary>
public sealed record IrDirectResponse(int Status, string? Body) : IrRouteAction;

/// <summary>One backend of a forward and what its backendRef filters change when it is the one picked.</summary>
/// <param name="RequestHeaderMutations">From the backendRef's RequestHeaderModifier; null when it has none.</param>
/// <param name="ResponseHeaderMutations">From the backendRef's ResponseHeaderModifier; null when it has none.</param>
public sealed record IrWeightedCluster(
    string ClusterName,
    int Weight,
    IReadOnlyList<IrHeaderMutation>? RequestHeaderMutations = null,
    IReadOnlyList<IrHeaderMutation>? ResponseHeaderMutations = null)
{
    /// <summary>Whether the backend carries header changes of its own (Envoy then needs weighted_clusters, even for one).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasHeaderMutations => RequestHeaderMutations is { Count: > 0 } || ResponseHeaderMutations is { Count: > 0 };

    // Records compare lists by reference; two backends are the same when their mutations read the same.
    public bool Equals(IrWeightedCluster? other) =>
        other is not null && ClusterName == other.ClusterName && Weight == other.Weight
        && (RequestHeaderMutations ?? []).SequenceEqual(other.RequestHeaderMutations ?? [])
        && (ResponseHeaderMutations ?? []).SequenceEqual(other.ResponseHeaderMutations ?? []);

    public override int GetHashCode() => HashCode.Combine(ClusterName, Weight);
}

/// <summary>URLRewrite filter: host and/or path rewrite before forwarding.</summary>
public sealed record IrUrlRewrite(string? Hostname, IrPathModifier? Path);

public enum PathModifierKind
{
    /// <summary>Replace the whole path with Value.</summary>
    FullPath,

    /// <summary>
    /// Replace the matched prefix with Value (only valid on a route whose path match is Prefix; the
    /// translator rejects other combinations with status UnsupportedValue).
    /// </summary>
    PrefixMatch,
}

public sealed record IrPathModifier(PathModifierKind Kind, string Value);
