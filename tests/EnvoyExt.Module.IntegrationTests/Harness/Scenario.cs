using System.Text.Json.Nodes;

namespace EnvoyExt.Module.IntegrationTests.Harness;

// The input of `envoyext-host run <file>` (docs/abi-host.md), as records a test builds in code.

/// <summary>
/// One HTTP filter in the chain; <paramref name="Config"/> is the raw filter_config text and
/// <paramref name="Module"/> the Envoy module name (null: the runner's module).
/// </summary>
public sealed record FilterSpec(string FilterName, string Config = "", string? Module = null);

/// <summary>A route: first match by :path prefix wins; per-filter configs are raw text keyed by filter_name.</summary>
public sealed record RouteSpec(string Name, string Prefix, IReadOnlyDictionary<string, string>? PerFilterConfig = null);

/// <summary>What the simulated upstream answers.</summary>
public sealed record UpstreamSpec(
    int Status = 200,
    IReadOnlyList<(string Name, string Value)>? Headers = null,
    IReadOnlyList<string>? Body = null,
    IReadOnlyList<(string Name, string Value)>? Trailers = null,
    int DelayMs = 0);

/// <summary>
/// One request (or <paramref name="Repeat"/> identical ones); with <paramref name="DownstreamStallMs"/> the
/// client stops reading when the response body starts and reads again that much later.
/// </summary>
public sealed record RequestSpec(
    IReadOnlyList<(string Name, string Value)> Headers,
    IReadOnlyList<string>? Body = null,
    IReadOnlyList<(string Name, string Value)>? Trailers = null,
    UpstreamSpec? Upstream = null,
    int? Worker = null,
    int? Repeat = null,
    string? SourceAddress = null,
    int? DownstreamStallMs = null)
{
    /// <summary>A GET with the usual pseudo-headers plus <paramref name="extra"/> headers.</summary>
    public static RequestSpec Get(string path, params (string Name, string Value)[] extra) =>
        new([(":method", "GET"), (":path", path), (":authority", "example.com"), (":scheme", "http"), .. extra]);

    /// <summary>A POST whose body arrives as one data frame per chunk.</summary>
    public static RequestSpec Post(string path, IReadOnlyList<string> body, params (string Name, string Value)[] extra) =>
        new([(":method", "POST"), (":path", path), (":authority", "example.com"), (":scheme", "http"), .. extra], Body: body);
}

/// <summary>
/// The whole scenario file. <paramref name="Secrets"/> are static generic secrets (subscribed with an
/// empty SDS config); <paramref name="AdsSecrets"/> are the ones a node received over ADS (subscribed
/// with an SDS config source naming ADS, as the controller's filter configs do). <paramref name="Sequential"/>
/// starts each request only after the previous one finished.
/// </summary>
public sealed record Scenario(
    IReadOnlyList<FilterSpec> Filters,
    IReadOnlyList<RequestSpec> Requests,
    IReadOnlyList<RouteSpec>? Routes = null,
    IReadOnlyDictionary<string, string>? Clusters = null,
    int Workers = 1,
    string? ModuleName = null,
    bool DoNotClose = true,
    IReadOnlyDictionary<string, string>? Secrets = null,
    IReadOnlyDictionary<string, string>? AdsSecrets = null,
    bool Sequential = false)
{
    /// <summary>The scenario file; <paramref name="defaultModule"/> fills every module name left null.</summary>
    public string ToJson(string defaultModule)
    {
        var root = new JsonObject
        {
            ["module"] = new JsonObject { ["name"] = ModuleName ?? defaultModule, ["do_not_close"] = DoNotClose },
            ["workers"] = Workers,
            ["sequential"] = Sequential,
            ["clusters"] = ToObject(Clusters),
            ["secrets"] = ToObject(Secrets),
            ["ads_secrets"] = ToObject(AdsSecrets),
            ["filters"] = new JsonArray([.. Filters.Select(f => (JsonNode)new JsonObject
            {
                ["filter_name"] = f.FilterName,
                ["config"] = f.Config,
                ["module"] = f.Module ?? defaultModule,
            })]),
            ["routes"] = new JsonArray([.. (Routes ?? []).Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["prefix"] = r.Prefix,
                ["per_filter_config"] = ToObject(r.PerFilterConfig),
            })]),
            ["requests"] = new JsonArray([.. Requests.Select(RequestToJson)]),
        };
        return root.ToJsonString();
    }

    private static JsonNode RequestToJson(RequestSpec r)
    {
        var o = new JsonObject { ["headers"] = Pairs(r.Headers) };
        if (r.Worker is { } worker)
        {
            o["worker"] = worker;
        }
        if (r.Repeat is { } repeat)
        {
            o["repeat"] = repeat;
        }
        if (r.SourceAddress is { } source)
        {
            o["source_address"] = source;
        }
        if (r.DownstreamStallMs is { } stall)
        {
            o["downstream_stall_ms"] = stall;
        }
        if (r.Body is { } body)
        {
            o["body"] = new JsonArray([.. body.Select(b => (JsonNode)JsonValue.Create(b))]);
        }
        if (r.Trailers is { } trailers)
        {
            o["trailers"] = Pairs(trailers);
        }
        var u = r.Upstream ?? new UpstreamSpec();
        o["upstream"] = new JsonObject
        {
            ["status"] = u.Status,
            ["headers"] = Pairs(u.Headers ?? []),
            ["body"] = new JsonArray([.. (u.Body ?? []).Select(b => (JsonNode)JsonValue.Create(b))]),
            ["trailers"] = Pairs(u.Trailers ?? []),
            ["delay_ms"] = u.DelayMs,
        };
        return o;
    }

    private static JsonArray Pairs(IReadOnlyList<(string Name, string Value)> pairs) =>
        new([.. pairs.Select(p => (JsonNode)new JsonArray(p.Name, p.Value))]);

    private static JsonObject ToObject(IReadOnlyDictionary<string, string>? map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map ?? new Dictionary<string, string>())
        {
            o[k] = v;
        }
        return o;
    }
}
