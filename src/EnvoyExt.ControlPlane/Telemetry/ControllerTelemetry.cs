using System.Diagnostics;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Telemetry;

/// <summary>
/// The names the controller's metrics and traces are published under, and the translation spans.
/// Spans cost nothing when no tracer listens (StartActivity returns null).
/// </summary>
public static class ControllerTelemetry
{
    /// <summary>The Meter of every envoyext_* instrument (<see cref="ControllerInstruments"/>).</summary>
    public const string MeterName = "EnvoyExt.Controller";

    /// <summary>The ActivitySource of the translation spans.</summary>
    public const string ActivitySourceName = "EnvoyExt.Controller";

    /// <summary>The service.name resource attribute of everything exported.</summary>
    public const string ServiceName = "envoyext-controller";

    public static ActivitySource Source { get; } = new(ActivitySourceName);

    /// <summary>
    /// The span of one whole translation (Gateway API -> IR -> xDS -> published) of a resource set;
    /// the stages are its children. Null when nobody listens.
    /// </summary>
    public static Activity? StartTranslation(long resourceVersion, ResourceSet resources)
    {
        var activity = Source.StartActivity("envoyext.translate");
        if (activity is not null)
        {
            activity.SetTag("envoyext.resource_version", resourceVersion);
            activity.SetTag("envoyext.gateways", resources.Gateways.Count);
            activity.SetTag("envoyext.http_routes", resources.HttpRoutes.Count);
            activity.SetTag("envoyext.problems", resources.Problems.Count);
        }

        return activity;
    }

    /// <summary>A stage of a translation ("gateway-api", "xds"), child of the current span.</summary>
    public static Activity? StartStage(string stage) => Source.StartActivity("envoyext.translate." + stage);

    /// <summary>Marks a span failed with the reason (the previous snapshot keeps serving).</summary>
    public static void Failed(Activity? activity, string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);
}
