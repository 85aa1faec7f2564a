using System.Diagnostics.Metrics;
using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Telemetry;

/// <summary>
/// The controller's metrics as System.Diagnostics.Metrics instruments, exported by OpenTelemetry
/// (Prometheus scrape on the admin endpoint, OTLP when configured). Counters and gauges observe
/// <see cref="XdsMetrics"/> and the snapshot cache when a reader collects, so the xDS streams keep
/// updating plain Interlocked fields; the translation duration is a histogram recorded per
/// translation. The Prometheus names are the instrument names (documented in docs/controller.md).
/// </summary>
public sealed class ControllerInstruments : IDisposable
{
    /// <summary>Seconds: from a small change (milliseconds) to 10,000 routes on a loaded machine (seconds).</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter = new(ControllerTelemetry.MeterName);
    private readonly XdsMetrics _metrics;

    public ControllerInstruments(XdsMetrics metrics, XdsSnapshotCache cache)
    {
        _metrics = metrics;
        _meter.CreateObservableGauge("envoyext_xds_snapshot_version", () => cache.Version,
            description: "Incremented each time any Gateway's xDS content changes.");
        _meter.CreateObservableGauge("envoyext_xds_gateways", () => cache.All().Count,
            description: "Gateways with an xDS snapshot.");
        _meter.CreateObservableCounter("envoyext_translations", () => metrics.Translations,
            description: "Successful translations (Gateway API -> IR -> xDS).");
        _meter.CreateObservableCounter("envoyext_translation_errors", () => metrics.TranslationErrors,
            description: "Translations that failed; the previous snapshot kept serving.");
        var duration = _meter.CreateHistogram("envoyext_translation_duration", unit: "s",
            description: "Time to translate the whole input.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _meter.CreateObservableGauge("envoyext_translation_last_duration", () => metrics.LastTranslationSeconds, unit: "s",
            description: "Duration of the latest translation.");
        _meter.CreateObservableUpDownCounter("envoyext_xds_connected_streams", () => metrics.ConnectedStreams,
            description: "Open ADS streams.");
        _meter.CreateObservableCounter("envoyext_xds_streams_aborted", () => metrics.StreamsAborted,
            description: "Streams closed by the server because the client exceeded a limit.");
        _meter.CreateObservableCounter("envoyext_xds_stale_requests", () => metrics.StaleRequests,
            description: "Requests ignored because their nonce was superseded.");
        _meter.CreateObservableCounter("envoyext_xds_nacks", () => metrics.Nacks.Select(p =>
            new Measurement<long>(p.Value, new("node", p.Key.Node), new("type", XdsTypeUrls.Label(p.Key.Type)))),
            description: "Responses rejected by a proxy, by node key and type.");
        _meter.CreateObservableCounter("envoyext_xds_acks", () => metrics.Acks.Select(p =>
            new Measurement<long>(p.Value, new KeyValuePair<string, object?>("type", XdsTypeUrls.Label(p.Key)))),
            description: "Responses accepted by a proxy, by type.");
        _meter.CreateObservableCounter("envoyext_xds_responses", () => metrics.Responses.Select(p =>
            new Measurement<long>(p.Value, new KeyValuePair<string, object?>("type", XdsTypeUrls.Label(p.Key)))),
            description: "Discovery responses sent, by type.");
        metrics.TranslationSecondsObserver = duration.Record;
    }

    public void Dispose()
    {
        _metrics.TranslationSecondsObserver = null;
        _meter.Dispose();
    }
}
