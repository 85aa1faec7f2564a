using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.RateLimit.Config;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// Hand-built IR inputs of the xDS golden tests, one per feature; the expected output of case X is
/// testdata/xds/ir/X/xds.json. To add a case: add an entry here, run with UPDATE_GOLDEN=1, review the file.
/// </summary>
internal static class GoldenCases
{
    private const string Backend = "default/backend/8080";

    public static IReadOnlyDictionary<string, Func<IrSnapshot>> All { get; } = new SortedDictionary<string, Func<IrSnapshot>>(StringComparer.Ordinal)
    {
        ["basic-forward"] = () => SimpleGateway(
            [Route("httproute/default/app/rule/0/match/0", Match(Prefix("/")), Forward((Backend, 1)))],
            [Cluster(Backend, ("10.0.0.1", 8080), ("10.0.0.2", 8080))]),

        ["matches"] = () => SimpleGateway(
            [
                Route("httproute/default/app/rule/0/match/0", Match(new IrPathMatch(PathMatchKind.Exact, "/login"), method: "POST"), Forward((Backend, 1))),
                Route("httproute/default/app/rule/1/match/0", Match(new IrPathMatch(PathMatchKind.Regex, "/items/[0-9]+")), Forward((Backend, 1))),
                Route("httproute/default/app/rule/2/match/0", Match(Prefix("/api/"),
                    headers: [new IrHeaderMatch("x-version", StringMatchKind.Exact, "2"), new IrHeaderMatch("x-tenant", StringMatchKind.Regex, "t-.*")],
                    query: [new IrQueryMatch("debug", StringMatchKind.Exact, "1"), new IrQueryMatch("page", StringMatchKind.Regex, "[0-9]+")]), Forward((Backend, 1))),
                Route("httproute/default/app/rule/3/match/0", Match(), Forward((Backend, 1))),
            ],
            [Cluster(Backend, ("10.0.0.1", 8080))]),

        ["weighted-clusters"] = () => SimpleGateway(
            [Route("httproute/default/canary/rule/0/match/0", Match(Prefix("/")), Forward(("default/v1/80", 90), ("default/v2/80", 10)))],
            [Cluster("default/v1/80", ("10.0.1.1", 80)), Cluster("default/v2/80", ("10.0.2.1", 80))]),

        ["redirects"] = () => SimpleGateway(
            [
                Route("httproute/default/redirect/rule/0/match/0", Match(Prefix("/old")),
                    new IrRedirect("https", "example.com", new IrPathModifier(PathModifierKind.FullPath, "/new"), 8443, 301)),
                Route("httproute/default/redirect/rule/1/match/0", Match(Prefix("/legacy")),
                    new IrRedirect(null, null, new IrPathModifier(PathModifierKind.PrefixMatch, "/"), null, 302)),
                Route("httproute/default/redirect/rule/2/match/0", Match(Prefix("/v1")),
                    new IrRedirect(null, null, new IrPathModifier(PathModifierKind.PrefixMatch, "/v2"), null, 308)),
            ],
            []),

        ["url-rewrites"] = () => SimpleGateway(
            [
                Route("httproute/default/rw/rule/0/match/0", Match(Prefix("/full")),
                    new IrForward([new IrWeightedCluster(Backend, 1)], new IrUrlRewrite("internal.example.com", new IrPathModifier(PathModifierKind.FullPath, "/index")))),
                Route("httproute/default/rw/rule/1/match/0", Match(Prefix("/strip")),
                    new IrForward([new IrWeightedCluster(Backend, 1)], new IrUrlRewrite(null, new IrPathModifier(PathModifierKind.PrefixMatch, "/")))),
                Route("httproute/default/rw/rule/2/match/0", Match(Prefix("/v1.0")),
                    new IrForward([new IrWeightedCluster(Backend, 1)], new IrUrlRewrite(null, new IrPathModifier(PathModifierKind.PrefixMatch, "/v2")))),
            ],
            [Cluster(Backend, ("10.0.0.1", 8080))]),

        ["header-mutations"] = () => SimpleGateway(
            [Route("httproute/default/hdr/rule/0/match/0", Match(Prefix("/")), Forward((Backend, 1)),
                requestHeaders: [new(HeaderMutationKind.Set, "x-env", "prod"), new(HeaderMutationKind.Add, "x-trace", "gw"), new(HeaderMutationKind.Remove, "x-debug", null)],
                responseHeaders: [new(HeaderMutationKind.Set, "cache-control", "no-store"), new(HeaderMutationKind.Remove, "server", null)])],
            [Cluster(Backend, ("10.0.0.1", 8080))]),

        ["mirrors"] = () => SimpleGateway(
            [Route("httproute/default/mirror/rule/0/match/0", Match(Prefix("/")), Forward((Backend, 1)),
                mirrors: [new IrMirror("default/shadow-all/80", 1, 1), new IrMirror("default/shadow-half/80", 50, 100), new IrMirror("default/shadow-third/80", 1, 3)])],
            [Cluster(Backend, ("10.0.0.1", 8080)), Cluster("default/shadow-all/80", ("10.0.3.1", 80)), Cluster("default/shadow-half/80", ("10.0.4.1", 80)), Cluster("default/shadow-third/80", ("10.0.5.1", 80))]),

        ["direct-response"] = () => SimpleGateway(
            [
                Route("httproute/default/broken/rule/0/match/0", Match(Prefix("/broken")), new IrDirectResponse(500, null)),
                Route("httproute/default/teapot/rule/0/match/0", Match(Prefix("/tea")), new IrDirectResponse(418, "short and stout\n")),
            ],
            []),

        ["rate-limit"] = () => SimpleGateway(
            [
                Route("httproute/default/api/rule/0/match/0", Match(Prefix("/api")), Forward((Backend, 1)), rateLimit: Limit("default/api-strict", 10, RateLimitUnit.Second)),
                Route("httproute/default/api/rule/1/match/0", Match(Prefix("/public")), Forward((Backend, 1)), rateLimit: null),
            ],
            [Cluster(Backend, ("10.0.0.1", 8080))],
            listenerLimit: Limit("default/gateway-wide", 1000, RateLimitUnit.Minute)),

        ["rate-limit-route-only"] = () => SimpleGateway(
            [
                Route("httproute/default/api/rule/0/match/0", Match(Prefix("/api")), Forward((Backend, 1)), rateLimit: Limit("default/api", 5, RateLimitUnit.Minute)),
                Route("httproute/default/web/rule/0/match/0", Match(Prefix("/")), Forward((Backend, 1))),
            ],
            [Cluster(Backend, ("10.0.0.1", 8080))]),

        ["grpc-backend"] = () => SimpleGateway(
            [Route("grpcroute/default/echo/rule/0/match/0", Match(new IrPathMatch(PathMatchKind.Exact, "/echo.Echo/Say")) with
                { Grpc = new IrGrpcMatch(StringMatchKind.Exact, "echo.Echo", "Say") }, Forward(("default/echo/9000", 1)))],
            [new IrCluster("default/echo/9000", [new IrEndpoint("10.0.9.1", 9000)], IrUpstreamProtocol.Http2)]),

        ["backend-header-filters"] = () => SimpleGateway(
            [
                Route("httproute/default/split/rule/0/match/0", Match(Prefix("/split")), new IrForward(
                    [
                        new IrWeightedCluster("default/v1/80", 90, [new(HeaderMutationKind.Set, "x-backend", "v1")], null),
                        new IrWeightedCluster("default/v2/80", 10, [new(HeaderMutationKind.Add, "x-canary", "yes"), new(HeaderMutationKind.Remove, "x-debug", null)],
                            [new(HeaderMutationKind.Set, "x-served-by", "v2"), new(HeaderMutationKind.Remove, "server", null)]),
                    ], null)),
                // One backend with headers of its own still goes through weighted_clusters.
                Route("httproute/default/single/rule/0/match/0", Match(Prefix("/")), new IrForward(
                    [new IrWeightedCluster("default/v1/80", 1, [new(HeaderMutationKind.Set, "x-backend", "v1")], null)], null)),
            ],
            [Cluster("default/v1/80", ("10.0.1.1", 80)), Cluster("default/v2/80", ("10.0.2.1", 80))]),

        ["backend-tls"] = () =>
        {
            var bundle = new IrBackendValidation("default/secure/backend-ca", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", null,
                [new IrSubjectAltName(SubjectAltNameKind.Dns, "secure.internal")]);
            var system = new IrBackendValidation("default/system/backend-ca", null, "/etc/ssl/certs/ca-certificates.crt",
                [new IrSubjectAltName(SubjectAltNameKind.Dns, "api.example.com"), new IrSubjectAltName(SubjectAltNameKind.Uri, "spiffe://example.com/api")]);
            var gateway = SimpleGateway(
                [
                    Route("httproute/default/tls/rule/0/match/0", Match(Prefix("/secure")), Forward(("default/secure/443", 1))),
                    Route("httproute/default/tls/rule/1/match/0", Match(Prefix("/grpc")), Forward(("default/system/443", 1))),
                ],
                [
                    new IrCluster("default/secure/443", [new IrEndpoint("10.0.1.1", 8443)], IrUpstreamProtocol.Http1, new IrUpstreamTls("secure.internal", bundle), "default/secure"),
                    new IrCluster("default/system/443", [new IrEndpoint("10.0.2.1", 8443)], IrUpstreamProtocol.Http2, new IrUpstreamTls("api.example.com", system), "default/system"),
                ]).Gateways["default/gw"];
            return Snapshot(gateway with { BackendValidations = [bundle, system] });
        },

        ["cors"] = () => SimpleGateway(
            [
                Route("httproute/default/web/rule/0/match/0", Match(Prefix("/api")), Forward((Backend, 1))) with
                {
                    Filters = IrFilterFeatures.None.With(IrFeatures.Cors, new IrCorsPolicy(
                        ["https://www.example.com", "https://*.example.org", "http://*.test:8080"], true, ["GET", "PUT"], ["x-token", "content-type"], ["x-request-id"], 3600)),
                },
                Route("httproute/default/open/rule/0/match/0", Match(Prefix("/public")), Forward((Backend, 1))) with
                {
                    Filters = IrFilterFeatures.None.With(IrFeatures.Cors, new IrCorsPolicy(["*"], false, ["*"], ["*"], [], 5)),
                },
                Route("httproute/default/plain/rule/0/match/0", Match(Prefix("/")), Forward((Backend, 1))),
            ],
            [Cluster(Backend, ("10.0.0.1", 8080))]),

        ["multi-gateway"] = () => Snapshot(
            Gateway("infra", "public",
                [
                    Listener("infra/public/http", 80, null,
                        VHost("infra/public/http/api.example.com", ["api.example.com"], Route("httproute/apps/api/rule/0/match/0", Match(), Forward(("apps/api/80", 1)))),
                        VHost("infra/public/http/*.example.com", ["*.example.com"], Route("httproute/apps/web/rule/0/match/0", Match(), Forward(("apps/web/80", 1))))),
                    Listener("infra/public/admin", 9090, null,
                        VHost("infra/public/admin/*", ["*"], Route("httproute/apps/ops/rule/0/match/0", Match(), Forward(("apps/web/80", 1))))),
                ],
                Cluster("apps/api/80", ("10.1.0.1", 8000)), Cluster("apps/web/80", ("10.1.0.2", 8000))),
            Gateway("infra", "internal",
                [Listener("infra/internal/http", 8080, null,
                    VHost("infra/internal/http/*", ["*"], Route("httproute/apps/internal/rule/0/match/0", Match(), Forward(("apps/internal/80", 1)))))],
                Cluster("apps/internal/80"))),
    };
}
