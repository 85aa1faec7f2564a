using System.Text;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Module.Diagnostics;

/// <summary>
/// filter_name "abi_probe": exercises every callback the SDK wraps, driven by request headers (see
/// <see cref="AbiProbeFilter"/>), so integration tests can check each one through the real host.
/// Config and per-route config: <c>{"tag": "&lt;text&gt;"}</c>, echoed back in response headers.
/// </summary>
internal sealed class AbiProbeFilterFactory : IHttpFilterFactory
{
    public string FilterName => "abi_probe";

    public HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
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

    public object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
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

internal sealed class AbiProbeConfig : HttpFilterConfig
{
    private readonly FilterPool<AbiProbeFilter> _pool;

    public AbiProbeConfig(byte[] tag, AbiProbeMetrics metrics)
    {
        Tag = tag;
        Metrics = metrics;
        _pool = new FilterPool<AbiProbeFilter>(() => new AbiProbeFilter(this));
    }

    public byte[] Tag { get; }

    public AbiProbeMetrics Metrics { get; }

    public override HttpFilter CreateFilter(uint workerIndex) => _pool.Rent(workerIndex);

    public void Return(AbiProbeFilter filter) => _pool.Return(filter);

    public override void Dispose()
    {
        _pool.Dispose();
        base.Dispose();
    }
}
