using System.Globalization;
using System.Text;
using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Admin;

/// <summary>Renders the controller's metrics in the Prometheus text exposition format (0.0.4).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(XdsMetrics metrics, XdsSnapshotCache cache)
    {
        var sb = new StringBuilder();
        Gauge(sb, "envoyext_xds_snapshot_version", "Incremented each time any Gateway's xDS content changes.", cache.Version);
        Gauge(sb, "envoyext_xds_gateways", "Gateways with an xDS snapshot.", cache.All().Count);
        Counter(sb, "envoyext_translations_total", "Successful translations (Gateway API -> IR -> xDS).", metrics.Translations);
        Counter(sb, "envoyext_translation_errors_total", "Translations that failed; the previous snapshot kept serving.", metrics.TranslationErrors);
        Header(sb, "envoyext_translation_duration_seconds", "summary", "Time to translate the whole input.");
        Line(sb, "envoyext_translation_duration_seconds_sum", "", metrics.TranslationSecondsTotal);
        Line(sb, "envoyext_translation_duration_seconds_count", "", metrics.Translations);
        Gauge(sb, "envoyext_translation_last_duration_seconds", "Duration of the latest translation.", metrics.LastTranslationSeconds);
        Gauge(sb, "envoyext_xds_connected_streams", "Open ADS streams.", metrics.ConnectedStreams);
        Counter(sb, "envoyext_xds_streams_aborted_total", "Streams closed by the server because the client exceeded a limit.", metrics.StreamsAborted);
        Counter(sb, "envoyext_xds_stale_requests_total", "Requests ignored because their nonce was superseded.", metrics.StaleRequests);

        Header(sb, "envoyext_xds_nacks_total", "counter", "Responses rejected by a proxy, by node key and type.");
        foreach (var ((node, type), count) in metrics.Nacks.OrderBy(p => p.Key.Node, StringComparer.Ordinal).ThenBy(p => p.Key.Type, StringComparer.Ordinal))
        {
            Line(sb, "envoyext_xds_nacks_total", $"{{node=\"{Escape(node)}\",type=\"{XdsTypeUrls.Label(type)}\"}}", count);
        }
        Header(sb, "envoyext_xds_acks_total", "counter", "Responses accepted by a proxy, by type.");
        foreach (var (type, count) in metrics.Acks.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line(sb, "envoyext_xds_acks_total", $"{{type=\"{XdsTypeUrls.Label(type)}\"}}", count);
        }
        Header(sb, "envoyext_xds_responses_total", "counter", "Discovery responses sent, by type.");
        foreach (var (type, count) in metrics.Responses.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line(sb, "envoyext_xds_responses_total", $"{{type=\"{XdsTypeUrls.Label(type)}\"}}", count);
        }
        return sb.ToString();
    }

    private static void Gauge(StringBuilder sb, string name, string help, double value)
    {
        Header(sb, name, "gauge", help);
        Line(sb, name, "", value);
    }

    private static void Counter(StringBuilder sb, string name, string help, double value)
    {
        Header(sb, name, "counter", help);
        Line(sb, name, "", value);
    }

    private static void Header(StringBuilder sb, string name, string type, string help) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder sb, string name, string labels, double value) =>
        sb.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
