using System.Text;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.TestModule.Diagnostics;

/// <summary>
/// filter_name "abi_probe": exercises every callback the SDK wraps, driven by request headers (see
/// <see cref="AbiProbeFilter"/>), so integration tests can check each one through the real host.
/// Config and per-route config: <c>{"tag": "&lt;text&gt;"}</c>, echoed back in response headers.
/// </summary>
internal sealed class AbiProbeFilterFactory : HttpFilterFactory
{
    public override string FilterName => "abi_probe";

    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        if (!FlatJsonConfig.TryParse(config, ["tag"], out var fields, out error))
        {
            return null;
        }
        var metrics = context.Metrics;
        var probeMetrics = new AbiProbeMetrics(
            metrics.DefineCounter("abi_probe_requests", "method"),
            metrics.DefineCounter("abi_probe_hook_calls", "hook"),
            metrics.DefineGauge("abi_probe_active_streams"),
            metrics.DefineHistogram("abi_probe_request_body_bytes"));
        return new AbiProbeConfig(TagBytes(fields), probeMetrics);
    }

    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
    {
        if (!FlatJsonConfig.TryParse(config, ["tag"], out var fields, out error))
        {
            return null;
        }
        return new AbiProbeRouteConfig(TagBytes(fields));
    }

    private static byte[] TagBytes(Dictionary<string, string> fields) =>
        fields.TryGetValue("tag", out var tag) ? Encoding.UTF8.GetBytes(tag) : [];
}

internal sealed record AbiProbeMetrics(CounterId Requests, CounterId HookCalls, GaugeId ActiveStreams, HistogramId RequestBodyBytes);

internal sealed class AbiProbeRouteConfig(byte[] tag)
{
    public byte[] Tag { get; } = tag;
}

internal sealed class AbiProbeConfig(byte[] tag, AbiProbeMetrics metrics) : HttpFilterConfig
{
    public byte[] Tag { get; } = tag;

    public AbiProbeMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new AbiProbeFilter(this);
}
