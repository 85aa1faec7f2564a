namespace EnvoyExt.ControlPlane.Resources;

public sealed record GrpcRoute : KubernetesResource
{
    public override string Kind => "GRPCRoute";

    public IReadOnlyList<ParentReference> ParentRefs { get; init; } = [];

    public IReadOnlyList<string> Hostnames { get; init; } = [];

    public IReadOnlyList<GrpcRouteRule> Rules { get; init; } = [];
}

public sealed record GrpcRouteRule
{
    public string? Name { get; init; }

    /// <summary>Empty = every gRPC request.</summary>
    public IReadOnlyList<GrpcRouteMatch> Matches { get; init; } = [];

    /// <summary>Same filter shapes as HTTPRoute; GRPCRoute allows header modifiers and mirrors.</summary>
    public IReadOnlyList<HttpRouteFilter> Filters { get; init; } = [];

    public IReadOnlyList<BackendReference> BackendRefs { get; init; } = [];
}

public sealed record GrpcRouteMatch
{
    public GrpcMethodMatch? Method { get; init; }

    public IReadOnlyList<NameValueMatch> Headers { get; init; } = [];
}

/// <summary>Type is Exact (default) or RegularExpression; at least one of Service/Method is set.</summary>
public sealed record GrpcMethodMatch(string Type, string? Service, string? Method);
