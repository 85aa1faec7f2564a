using System.Diagnostics;
using System.Net;
using EnvoyExt.ControlPlane.Admin;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.Telemetry;
using EnvoyExt.ControlPlane.Tests.Xds;
using EnvoyExt.ControlPlane.XdsServer;

namespace EnvoyExt.ControlPlane.Tests;

/// <summary>
/// The controller's metrics as OpenTelemetry exports them on the admin endpoint's Prometheus scrape
/// (every documented family, with its type and values that follow the controller), and the spans of
/// a translation. In the admin-metrics collection: every meter of that name in the process feeds a
/// scrape, so no other admin host may be alive meanwhile.
/// </summary>
[Collection(AdminMetricsCollection.Name)]
public sealed class ControllerTelemetryTests
{
    /// <summary>The families docs/controller.md documents, with their Prometheus types.</summary>
    public static TheoryData<string, string> Documented => new()
    {
        { "envoyext_xds_snapshot_version", "gauge" },
        { "envoyext_xds_gateways", "gauge" },
        { "envoyext_translations_total", "counter" },
        { "envoyext_translation_errors_total", "counter" },
        { "envoyext_translation_duration_seconds", "histogram" },
        { "envoyext_translation_last_duration_seconds", "gauge" },
        { "envoyext_xds_connected_streams", "gauge" },
        { "envoyext_xds_nacks_total", "counter" },
        { "envoyext_xds_acks_total", "counter" },
        { "envoyext_xds_responses_total", "counter" },
        { "envoyext_xds_stale_requests_total", "counter" },
        { "envoyext_xds_streams_aborted_total", "counter" },
    };

    [Fact]
    public async Task TheScrapeHasEveryDocumentedFamilyAndFollowsTranslations()
    {
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "controller.md"));
        var resources = StandaloneProvider.ReadFolder(Path.Combine(RepoPaths.Root, "examples", "quickstart"));
        var cache = new XdsSnapshotCache();
        var metrics = new XdsMetrics();
        var publisher = new XdsPublisher(cache, metrics);
        await using var admin = await AdminServerHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), publisher, cache, metrics, new XdsStreamRegistry(), _ => { });
        using var http = new HttpClient { BaseAddress = admin.Address };

        publisher.Publish(GatewayApiTranslator.Translate(resources).Ir, null, TimeSpan.FromMilliseconds(30));
        publisher.ReportError("a failure for the test");
        // Labelled families have no series until something happens: what the ADS streams record.
        metrics.Nack("default/gw", XdsTranslation.XdsTypeUrls.Cluster);
        metrics.Ack(XdsTranslation.XdsTypeUrls.Cluster);
        metrics.Ack(XdsTranslation.XdsTypeUrls.Route);
        metrics.ResponseSent(XdsTranslation.XdsTypeUrls.Listener);
        var scrape = await ScrapeAsync(http);

        foreach (var (family, type) in Documented.Select(row => ((string)row[0], (string)row[1])))
        {
            Assert.True(scrape.Type(family) == type, $"{family}: TYPE {scrape.Type(family) ?? "missing"}, documented {type}");
            Assert.Contains("`" + family + "`", docs, StringComparison.Ordinal);
        }

        Assert.Equal(1, scrape.Value("envoyext_translations_total"));
        Assert.Equal(1, scrape.Value("envoyext_translation_errors_total"));
        Assert.Equal(1, scrape.Value("envoyext_xds_gateways"));
        Assert.Equal(1, scrape.Value("envoyext_translation_duration_seconds_count"));
        Assert.InRange(scrape.Value("envoyext_translation_duration_seconds_sum"), 0.03, 60);
        Assert.Equal(0, scrape.Value("envoyext_translation_duration_seconds_bucket", ("le", "0.025")));
        Assert.Equal(1, scrape.Value("envoyext_translation_duration_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(1, scrape.Value("envoyext_xds_nacks_total", ("node", "default/gw"), ("type", "clusters")));
        Assert.Equal(1, scrape.Value("envoyext_xds_acks_total", ("type", "routes")));
        Assert.Equal(1, scrape.Value("envoyext_xds_responses_total", ("type", "listeners")));
        Assert.Equal(1, scrape.Value("target_info", ("service_name", ControllerTelemetry.ServiceName)));

        publisher.Publish(GatewayApiTranslator.Translate(resources).Ir, null);
        var after = await ScrapeAsync(http);
        Assert.Equal(2, after.Value("envoyext_translations_total"));
        Assert.Equal(2, after.Value("envoyext_translation_duration_seconds_count"));
    }

    [Fact]
    public void ATranslationIsASpanWithItsStagesAsChildren()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ControllerTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        listener.ActivityStopped = a =>
        {
            lock (stopped)
            {
                stopped.Add(a);
            }
        };
        ActivitySource.AddActivityListener(listener);
        var resources = StandaloneProvider.ReadFolder(Path.Combine(RepoPaths.Root, "examples", "quickstart"));
        var publisher = new XdsPublisher(new XdsSnapshotCache(), new XdsMetrics());

        string traceId;
        using (var span = ControllerTelemetry.StartTranslation(7, resources))
        {
            Assert.NotNull(span);
            traceId = span.TraceId.ToString();
            using (ControllerTelemetry.StartStage("gateway-api"))
            {
                GatewayApiTranslator.Translate(resources);
            }

            publisher.Publish(GatewayApiTranslator.Translate(resources).Ir, null);
        }

        List<Activity> ours;
        lock (stopped)
        {
            ours = [.. stopped.Where(a => a.TraceId.ToString() == traceId)];
        }

        var root = Assert.Single(ours, a => a.OperationName == "envoyext.translate");
        Assert.Equal(7L, root.GetTagItem("envoyext.resource_version"));
        Assert.Equal(resources.HttpRoutes.Count, root.GetTagItem("envoyext.http_routes"));
        var xds = Assert.Single(ours, a => a.OperationName == "envoyext.translate.xds");
        Assert.Equal(root.SpanId, xds.ParentSpanId);
        Assert.Equal(1, xds.GetTagItem("envoyext.gateways_changed"));
        Assert.Equal(root.SpanId, Assert.Single(ours, a => a.OperationName == "envoyext.translate.gateway-api").ParentSpanId);
    }

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
    }
}
