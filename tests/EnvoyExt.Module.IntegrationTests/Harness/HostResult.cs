using System.Text.Json;

namespace EnvoyExt.Module.IntegrationTests.Harness;

// The stdout of `envoyext-host run` (docs/abi-host.md), parsed into typed records.

/// <summary>An ordered header list with repeated names kept, as the host reports it.</summary>
public sealed class HeaderBag(IReadOnlyList<(string Name, string Value)> entries)
{
    public IReadOnlyList<(string Name, string Value)> Entries { get; } = entries;

    /// <summary>First value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name) => Entries.Where(e => e.Name == name).Select(e => e.Value).FirstOrDefault();

    public IReadOnlyList<string> All(string name) => [.. Entries.Where(e => e.Name == name).Select(e => e.Value)];

    public bool Has(string name) => Entries.Any(e => e.Name == name);

    public override string ToString() => string.Join("; ", Entries.Select(e => $"{e.Name}: {e.Value}"));
}

public sealed record ProgramInitResult(bool Loaded, string? AbiVersion, bool VersionMatched);

public sealed record ConfigError(string FilterName, string? Route);

public sealed record LocalReply(int Status, HeaderBag Headers, string Body, string Details);

public sealed record UpstreamRequest(HeaderBag Headers, string Body, HeaderBag Trailers);

public sealed record DownstreamResponse(int Status, HeaderBag Headers, string Body, HeaderBag Trailers);

/// <summary>
/// One request's outcome; <paramref name="MaxRequestBuffered"/>, <paramref name="MaxResponseBuffered"/> and
/// <paramref name="MaxDownstreamUnread"/> are the most request and response bytes the filter chain held and
/// the most the client had not read yet.
/// </summary>
/// <param name="DynamicMetadata">The stream's dynamic metadata as the filters left it: namespace -> key -> value.</param>
public sealed record RequestResult(
    int Index, int Worker, LocalReply? LocalReply, UpstreamRequest? UpstreamRequest,
    DownstreamResponse? DownstreamResponse, bool Reset, long MaxResponseBuffered = 0, long MaxDownstreamUnread = 0,
    System.Text.Json.Nodes.JsonObject? DynamicMetadata = null, long MaxRequestBuffered = 0);

/// <summary>A metric as the host reports it; for histograms Value is the sum and Count the number of samples.</summary>
public sealed record MetricValue(string Name, string Type, IReadOnlyDictionary<string, string> Labels, double Value, double? Count);

public sealed record LogLine(string Level, string Message);

/// <summary>Everything one host run produced, including the raw streams for failure messages.</summary>
public sealed record HostResult(
    int ExitCode,
    string Stdout,
    string Stderr,
    ProgramInitResult ProgramInit,
    IReadOnlyList<ConfigError> ConfigErrors,
    IReadOnlyList<RequestResult> Results,
    IReadOnlyList<MetricValue> Metrics,
    IReadOnlyList<LogLine> Logs)
{
    /// <summary>Value of the metric with this name and exactly these labels, or null.</summary>
    public double? Metric(string name, params (string Key, string Value)[] labels) =>
        Metrics.FirstOrDefault(m => m.Name == name && m.Labels.Count == labels.Length &&
                                    labels.All(l => m.Labels.TryGetValue(l.Key, out var v) && v == l.Value))?.Value;

    /// <summary>The metric record with this name and no labels, or null.</summary>
    public MetricValue? MetricRecord(string name) => Metrics.FirstOrDefault(m => m.Name == name && m.Labels.Count == 0);

    public bool LogContains(string text) => Logs.Any(l => l.Message.Contains(text, StringComparison.Ordinal));

    /// <summary>For assertion messages.</summary>
    public string Describe() => $"exit={ExitCode}\nstderr:\n{Stderr}\nstdout:\n{Stdout}";

    public static HostResult Parse(int exitCode, string stdout, string stderr)
    {
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;

        var init = root.GetProperty("program_init");
        var programInit = new ProgramInitResult(
            init.GetProperty("loaded").GetBoolean(),
            init.TryGetProperty("abi_version", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : null,
            init.TryGetProperty("version_matched", out var matched) && matched.ValueKind == JsonValueKind.True);

        var configErrors = Array(root, "config_errors").Select(e => new ConfigError(
            e.GetProperty("filter_name").GetString()!,
            e.TryGetProperty("route", out var route) && route.ValueKind == JsonValueKind.String ? route.GetString() : null)).ToList();

        var results = Array(root, "results").Select(r => new RequestResult(
            r.GetProperty("index").GetInt32(),
            r.TryGetProperty("worker", out var w) ? w.GetInt32() : 0,
            Optional(r, "local_reply", l => new LocalReply(l.GetProperty("status").GetInt32(), Headers(l, "headers"),
                String(l, "body"), String(l, "details"))),
            Optional(r, "upstream_request", u => new UpstreamRequest(Headers(u, "headers"), String(u, "body"), Headers(u, "trailers"))),
            Optional(r, "downstream_response", d => new DownstreamResponse(d.GetProperty("status").GetInt32(), Headers(d, "headers"),
                String(d, "body"), Headers(d, "trailers"))),
            r.TryGetProperty("reset", out var reset) && reset.ValueKind == JsonValueKind.True,
            r.TryGetProperty("max_response_buffered", out var buffered) ? buffered.GetInt64() : 0,
            r.TryGetProperty("max_downstream_unread", out var unread) ? unread.GetInt64() : 0,
            r.TryGetProperty("dynamic_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                ? System.Text.Json.Nodes.JsonNode.Parse(metadata.GetRawText())!.AsObject()
                : null,
            r.TryGetProperty("max_request_buffered", out var requestBuffered) ? requestBuffered.GetInt64() : 0)).ToList();

        var metrics = Array(root, "metrics").Select(m => new MetricValue(
            m.GetProperty("name").GetString()!,
            m.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "",
            m.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
                : new Dictionary<string, string>(),
            m.GetProperty("value").GetDouble(),
            m.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetDouble() : null)).ToList();

        var logs = Array(root, "logs").Select(l => new LogLine(String(l, "level"), String(l, "message"))).ToList();

        return new HostResult(exitCode, stdout, stderr, programInit, configErrors, results, metrics, logs);
    }

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().ToList() : [];

    private static string String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";

    private static T? Optional<T>(JsonElement e, string name, Func<JsonElement, T> read) where T : class =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? read(v) : null;

    private static HeaderBag Headers(JsonElement e, string name) =>
        new([.. Array(e, name).Select(p => (p[0].GetString()!, p[1].GetString()!))]);
}
