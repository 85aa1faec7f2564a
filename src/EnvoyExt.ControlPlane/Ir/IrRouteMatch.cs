namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// Conditions of one route, all ANDed. Header names are lower-case (HTTP header names are
/// case-insensitive; Envoy stores them lower-case); query parameter names are case-sensitive and kept as given.
/// </summary>
/// <param name="Path">Null means any path (Envoy: prefix "/").</param>
/// <param name="Method">Upper-case HTTP method, or null for any (Envoy: a ":method" exact header match).</param>
/// <param name="Grpc">
/// For GRPCRoute matches only: the original service/method. <see cref="Path"/> already encodes it
/// ("/service/method" exact, "/service/" prefix, or a regex), so the xDS translator only needs Path;
/// this is kept for names, logs and status.
/// </param>
public sealed record IrRouteMatch(
    IrPathMatch? Path,
    IReadOnlyList<IrHeaderMatch> Headers,
    IReadOnlyList<IrQueryMatch> QueryParams,
    string? Method,
    IrGrpcMatch? Grpc);

public enum PathMatchKind
{
    Exact,

    /// <summary>Gateway API PathPrefix: matches whole segments (Envoy path_separated_prefix, or prefix "/" for "/").</summary>
    Prefix,

    /// <summary>RE2-compatible full match (Envoy safe_regex).</summary>
    Regex,
}

public enum StringMatchKind
{
    Exact,
    Regex,
}

public sealed record IrPathMatch(PathMatchKind Kind, string Value);

public sealed record IrHeaderMatch(string Name, StringMatchKind Kind, string Value);

public sealed record IrQueryMatch(string Name, StringMatchKind Kind, string Value);

/// <summary>GRPCRoute method match; a null Service or Method means "any".</summary>
public sealed record IrGrpcMatch(StringMatchKind Kind, string? Service, string? Method);
