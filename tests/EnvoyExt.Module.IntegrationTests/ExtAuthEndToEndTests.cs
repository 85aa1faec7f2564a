using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>ext_auth in the shipped libenvoyext.so through the ABI host, against a real HTTP auth server (Kestrel).</summary>
public sealed class ExtAuthEndToEndTests : IAsyncLifetime
{
    private readonly HostRunner _host = HostRunner.Production();
    private HttpAuthServer _server = null!;

    // The first answer of a fresh Kestrel (JIT) can take longer than a check's timeout on a loaded machine.
    public async Task InitializeAsync()
    {
        _server = new HttpAuthServer();
        using var client = new HttpClient();
        using var warmUp = await client.GetAsync(new Uri($"http://{_server.Address}/warm-up"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Generous timeouts except where the timeout is the subject: a loaded CI machine must not turn an answer into a timeout.
    private HostResult Run(string config, params RequestSpec[] requests) => _host.Run(new Scenario(
        [new FilterSpec("ext_auth", config)], requests,
        Clusters: new Dictionary<string, string> { ["auth"] = _server.Address }));

    [Fact]
    public void Allowed_request_reaches_the_upstream_with_headersToBackend_and_the_check_carries_the_request()
    {
        var result = Run("""{"cluster":"auth","timeoutMs":5000,"pathPrefix":"/allow","headersToExtAuth":["x-user"],"headersToBackend":["x-auth-user"]}""",
            RequestSpec.Get("/orders?id=1", ("x-user", "alice"), ("authorization", "Bearer t"), ("x-other", "no")));

        var r = Assert.Single(result.Results);
        Assert.True(r.UpstreamRequest is not null, result.Describe());
        Assert.Equal("alice", r.UpstreamRequest.Headers.Get("x-auth-user"));
        Assert.False(r.UpstreamRequest.Headers.Has("x-not-listed"));
        var check = Assert.Single(_server.Seen);
        Assert.Equal("GET", check.Method);
        Assert.Equal("/allow/orders?id=1", check.Path);
        Assert.Equal("example.com", check.Headers["host"]);
        Assert.Equal("alice", check.Headers["x-user"]);
        Assert.Equal("Bearer t", check.Headers["authorization"]);
        Assert.False(check.Headers.ContainsKey("x-other"));
        Assert.Equal(1, result.Metric("ext_auth_allowed"));
    }

    [Fact]
    public void Denied_request_gets_the_services_status_body_and_headers()
    {
        var result = Run("""{"cluster":"auth","timeoutMs":5000,"pathPrefix":"/deny"}""", RequestSpec.Get("/orders"));

        var r = Assert.Single(result.Results);
        Assert.True(r.LocalReply is not null, result.Describe());
        Assert.Null(r.UpstreamRequest);
        Assert.Equal(401, r.LocalReply.Status);
        Assert.Equal("no entry", r.LocalReply.Body);
        Assert.Equal("Bearer realm=\"shop\"", r.LocalReply.Headers.Get("www-authenticate"));
        Assert.Equal(1, result.Metric("ext_auth_denied"));
    }

    [Fact]
    public void A_5xx_from_the_service_gives_statusOnError()
    {
        var result = Run("""{"cluster":"auth","timeoutMs":5000,"pathPrefix":"/error","statusOnError":503}""", RequestSpec.Get("/orders"));

        var r = Assert.Single(result.Results);
        Assert.Equal(503, r.LocalReply?.Status);
        Assert.Null(r.UpstreamRequest);
        Assert.Equal(1, result.Metric("ext_auth_error"));
    }

    [Fact]
    public void A_timeout_fails_closed_or_open_as_configured()
    {
        var closed = Run("""{"cluster":"auth","pathPrefix":"/slow","timeoutMs":150}""", RequestSpec.Get("/orders"));
        var open = Run("""{"cluster":"auth","pathPrefix":"/slow","timeoutMs":150,"failOpen":true}""", RequestSpec.Get("/orders"));

        Assert.Equal(403, Assert.Single(closed.Results).LocalReply?.Status);
        Assert.Equal(1, closed.Metric("ext_auth_timeout"));
        Assert.NotNull(Assert.Single(open.Results).UpstreamRequest);
        Assert.Equal(1, open.Metric("ext_auth_failed_open"));
    }

    [Fact]
    public void An_oversized_header_value_from_the_service_fails_closed()
    {
        var result = Run("""{"cluster":"auth","timeoutMs":5000,"pathPrefix":"/huge","headersToBackend":["x-auth-user"]}""", RequestSpec.Get("/orders"));

        var r = Assert.Single(result.Results);
        Assert.Equal(403, r.LocalReply?.Status);
        Assert.Null(r.UpstreamRequest);
    }

    [Fact]
    public void The_body_goes_with_the_check_up_to_the_limit_and_413_beyond()
    {
        var within = Run("""{"cluster":"auth","timeoutMs":5000,"pathPrefix":"/allow","maxRequestBytes":32}""",
            RequestSpec.Post("/orders", ["hello ", "world"]));
        var beyond = Run("""{"cluster":"auth","timeoutMs":5000,"pathPrefix":"/allow","maxRequestBytes":8}""",
            RequestSpec.Post("/orders", ["hello ", "world"]));

        var allowed = Assert.Single(within.Results);
        Assert.True(allowed.UpstreamRequest is not null, within.Describe());
        Assert.Equal("hello world", allowed.UpstreamRequest.Body);
        Assert.Equal("hello world", _server.Seen[0].Body);
        Assert.Equal("false", _server.Seen[0].Headers["x-envoy-auth-partial-body"]);
        Assert.Equal(413, Assert.Single(beyond.Results).LocalReply?.Status);
        Assert.Single(_server.Seen);
    }
}
