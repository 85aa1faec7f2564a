using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// ext_auth's gRPC mode in the shipped libenvoyext.so through the ABI host, against a real
/// <c>envoy.service.auth.v3.Authorization</c> service (Grpc.AspNetCore) reached over the host's HTTP/2 callouts.
/// </summary>
public sealed class GrpcExtAuthEndToEndTests : IAsyncLifetime
{
    private readonly HostRunner _host = HostRunner.Production();
    private GrpcAuthServer _server = null!;

    // The first RPC of a fresh server (JIT) can take longer than a check's timeout on a loaded machine.
    public Task InitializeAsync()
    {
        _server = new GrpcAuthServer();
        var warmUp = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":30000}""", RequestSpec.Get("/warm-up"));
        Assert.True(Assert.Single(warmUp.Results).UpstreamRequest is not null, warmUp.Describe());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HostResult Run(string config, params RequestSpec[] requests) => _host.Run(new Scenario(
        [new FilterSpec("ext_auth", config)], requests,
        Clusters: new Dictionary<string, string> { ["authz"] = _server.ClusterSpec }));

    [Fact]
    public void An_allowing_answer_applies_its_header_mutations_and_the_check_carries_the_request()
    {
        var result = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":5000}""",
            RequestSpec.Get("/allow/orders?id=1", ("x-user", "bob"), ("authorization", "Bearer t"), ("x-auth-group", "users")));

        var r = Assert.Single(result.Results);
        Assert.True(r.UpstreamRequest is not null, result.Describe());
        var upstream = r.UpstreamRequest.Headers;
        Assert.Equal("alice", upstream.Get("x-auth-user"));
        Assert.Equal(["users", "admins"], upstream.All("x-auth-group"));
        Assert.False(upstream.Has("authorization"));
        var check = Assert.Single(_server.Seen).Attributes.Request.Http;
        Assert.Equal("GET", check.Method);
        Assert.Equal("/allow/orders?id=1", check.Path);
        Assert.Equal("bob", check.Headers["x-user"]);
        Assert.Equal("Bearer t", check.Headers["authorization"]);
        Assert.Equal(1, result.Metric("ext_auth_allowed"));
    }

    [Fact]
    public void The_answers_nested_dynamic_metadata_reaches_the_stream_as_a_struct()
    {
        var result = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":5000}""", RequestSpec.Get("/metadata"));

        var r = Assert.Single(result.Results);
        Assert.True(r.UpstreamRequest is not null, result.Describe());
        var written = r.DynamicMetadata?["envoyext.ext_auth"];
        Assert.True(written is not null, result.Stdout);
        Assert.Equal("alice", (string?)written["user"]);
        Assert.True((bool?)written["admin"]);
        Assert.Equal(7.0, (double?)written["team"]?["id"]);
        Assert.Equal("ops", (string?)written["team"]?["name"]);
        Assert.Equal(["orders", "read"], written["scopes"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void A_denying_answer_returns_its_status_headers_and_body()
    {
        var result = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":5000}""", RequestSpec.Get("/deny/orders"));

        var r = Assert.Single(result.Results);
        Assert.True(r.LocalReply is not null, result.Describe());
        Assert.Null(r.UpstreamRequest);
        Assert.Equal(401, r.LocalReply.Status);
        Assert.Equal("no entry", r.LocalReply.Body);
        Assert.Equal("Bearer realm=\"shop\"", r.LocalReply.Headers.Get("www-authenticate"));
        Assert.Equal(1, result.Metric("ext_auth_denied"));
    }

    [Fact]
    public void A_failed_rpc_gives_statusOnError()
    {
        var result = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":5000,"statusOnError":503}""", RequestSpec.Get("/error"));

        var r = Assert.Single(result.Results);
        Assert.Equal(503, r.LocalReply?.Status);
        Assert.Null(r.UpstreamRequest);
        Assert.Equal(1, result.Metric("ext_auth_error"));
    }

    [Fact]
    public void A_timeout_fails_closed_or_open_as_configured()
    {
        var closed = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":150}""", RequestSpec.Get("/slow"));
        var open = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":150,"failOpen":true}""", RequestSpec.Get("/slow"));

        Assert.Equal(403, Assert.Single(closed.Results).LocalReply?.Status);
        Assert.Equal(1, closed.Metric("ext_auth_timeout"));
        Assert.NotNull(Assert.Single(open.Results).UpstreamRequest);
        Assert.Equal(1, open.Metric("ext_auth_failed_open"));
    }

    [Fact]
    public void A_header_value_with_CR_LF_from_the_service_is_never_applied()
    {
        var result = Run("""{"protocol":"grpc","cluster":"authz","timeoutMs":5000}""", RequestSpec.Get("/crlf"));

        var r = Assert.Single(result.Results);
        Assert.True(r.LocalReply is not null, result.Describe());
        Assert.Equal(403, r.LocalReply.Status);
        Assert.Null(r.UpstreamRequest);
    }
}
