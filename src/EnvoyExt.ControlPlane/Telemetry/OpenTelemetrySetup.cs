using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EnvoyExt.ControlPlane.Telemetry;

/// <summary>
/// Wires the controller's metrics, translation spans and logs to OpenTelemetry: metrics are always
/// scraped from the admin endpoint's /metrics (Prometheus text); metrics, spans and logs are also
/// pushed over OTLP when the standard OTEL_EXPORTER_OTLP_ENDPOINT variable names a collector (the
/// exporter reads OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS and the per-signal variables itself).
/// </summary>
public static class OpenTelemetrySetup
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>True when an OTLP collector is configured through the environment.</summary>
    public static bool OtlpConfigured => Environment.GetEnvironmentVariable(OtlpEndpointVariable) is { Length: > 0 };

    /// <summary>Metrics and traces for the admin host (the one long-lived host of `serve`).</summary>
    public static void AddControllerTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = OtlpConfigured;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ControllerTelemetry.ServiceName))
            .WithMetrics(metrics =>
            {
                // Each scrape reads the current values (no cached response): the admin host bounds its connections.
                metrics.AddMeter(ControllerTelemetry.MeterName).AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // Spans only when they go somewhere: without a listener the translation creates none.
            telemetry.WithTracing(tracing => tracing.AddSource(ControllerTelemetry.ActivitySourceName).AddOtlpExporter());
        }
    }

    /// <summary>Logs over OTLP as well as the console, when a collector is configured.</summary>
    public static ILoggingBuilder AddOtlpWhenConfigured(this ILoggingBuilder builder)
    {
        if (OtlpConfigured)
        {
            builder.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(ControllerTelemetry.ServiceName));
                o.AddOtlpExporter();
            });
        }

        return builder;
    }

    /// <summary>The Prometheus scrape endpoint.</summary>
    public static void MapControllerMetrics(this WebApplication app, string path) => app.MapPrometheusScrapingEndpoint(path);
}
