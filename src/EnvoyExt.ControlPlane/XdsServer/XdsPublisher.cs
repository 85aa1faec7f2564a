using System.Diagnostics;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Telemetry;
using EnvoyExt.ControlPlane.XdsTranslation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// The seam between the Gateway API half and the xDS half: takes one IR snapshot (plus the status
/// computed with it), translates it to xDS and publishes it to the cache. A failing translation
/// keeps the last good state serving.
/// </summary>
/// <remarks>
/// A Gateway whose resources of one type would not fit in one gRPC response
/// (<paramref name="maxResponseBytes"/>, the size the server and Envoy accept) is not published: SotW
/// listeners and clusters cannot be split across responses, and a proxy would refuse the message.
/// Its previous snapshot keeps serving and the error says which type and how large.
/// </remarks>
public sealed class XdsPublisher(XdsSnapshotCache cache, XdsMetrics metrics, ILogger? logger = null, int maxResponseBytes = XdsLimits.MaxResponseBytes)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private volatile PublishedState _state = new(null, null, DateTimeOffset.MinValue);

    /// <summary>Status object of the latest publication (the Gateway API half's report), for /status.</summary>
    public object? LatestStatus => _state.Status;

    /// <summary>The latest error of the pipeline, if the latest attempt failed.</summary>
    public string? LatestError => _state.Error;

    public DateTimeOffset LastPublishedAt => _state.At;

    /// <summary>
    /// Translates and publishes. <paramref name="upstreamDuration"/> is the time the Gateway API
    /// stage took for this snapshot, so the duration metric covers the whole translation.
    /// Returns the Gateway keys whose resources changed, or null when translation failed.
    /// </summary>
    public IReadOnlyList<string>? Publish(IrSnapshot ir, object? status, TimeSpan upstreamDuration = default)
    {
        var stopwatch = Stopwatch.StartNew();
        using var span = ControllerTelemetry.StartStage("xds");
        SortedDictionary<string, GatewayXdsResources> resources;
        try
        {
            resources = XdsTranslator.Translate(ir);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            ReportError($"xDS translation failed, still serving the previous snapshot: {e.Message}");
            ControllerTelemetry.Failed(span, e.Message);
            return null;
        }
        var errors = new List<string>();
        foreach (var (key, gateway) in resources.ToList())
        {
            var problems = gateway.Problems.Concat(OversizedTypes(gateway)).ToList();
            if (problems.Count == 0)
            {
                continue;
            }
            // Keep serving this Gateway's last good resources (or nothing if it never had any).
            errors.Add($"gateway {key}: not published, still serving the previous snapshot: {string.Join("; ", problems)}");
            if (cache.Get(key) is { } previous)
            {
                resources[key] = previous;
            }
            else
            {
                resources.Remove(key);
            }
        }
        metrics.TranslationSucceeded(upstreamDuration + stopwatch.Elapsed);
        var changed = cache.SetAll(resources);
        span?.SetTag("envoyext.gateways_changed", changed.Count);
        _state = new PublishedState(status, null, DateTimeOffset.UtcNow);
        foreach (var error in errors)
        {
            ReportError(error);
        }
        XdsLog.Published(_logger,
            cache.Version, resources.Count, changed.Count, (upstreamDuration + stopwatch.Elapsed).TotalMilliseconds);
        return changed;
    }

    /// <summary>Types whose full set would need a response above the limit (a named subscription is a subset, so this bounds every response).</summary>
    private IEnumerable<string> OversizedTypes(GatewayXdsResources gateway)
    {
        foreach (var typeUrl in XdsTypeUrls.PushOrder)
        {
            long bytes = XdsLimits.ResponseOverheadBytes;
            foreach (var resource in gateway.Get(typeUrl))
            {
                bytes += resource.Packed.CalculateSize() + 16;
            }
            if (bytes > maxResponseBytes)
            {
                yield return $"{XdsTypeUrls.Label(typeUrl)} response would be {bytes} bytes, above the {maxResponseBytes}-byte gRPC message limit";
            }
        }
    }

    /// <summary>Records a failure before or during translation (bad input); the cache is left alone.</summary>
    public void ReportError(string message)
    {
        metrics.TranslationFailed();
        _state = _state with { Error = message };
        XdsLog.TranslationError(_logger, message);
    }

    private sealed record PublishedState(object? Status, string? Error, DateTimeOffset At);
}
