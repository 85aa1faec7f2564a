using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>
/// Writes the translator's status to the cluster through the status subresource: only objects
/// whose status this controller has not already written in this form, only when the merged
/// status differs from the object's, with the object's resourceVersion (a conflict re-reads and
/// retries). One writer at a time (the leader's status loop).
/// </summary>
public sealed class StatusWriter(KubernetesApi api, ILogger logger)
{
    private const int MaxAttempts = 5;
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);
    private long _writes;

    /// <summary>PUTs to a status subresource that succeeded.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Forget what was written (a new leader cannot trust what it wrote before).</summary>
    public void Forget() => _written.Clear();

    public Task WriteAsync(StatusReport report, CancellationToken ct) =>
        WriteAsync(report, new Dictionary<string, IReadOnlyList<GatewayAddress>>(), ct);

    /// <summary>Writes the report, with <paramref name="addresses"/> as the Gateways' status.addresses (keyed "namespace/name").</summary>
    public async Task WriteAsync(StatusReport report, IReadOnlyDictionary<string, IReadOnlyList<GatewayAddress>> addresses, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var desired in StatusDocuments.From(report, addresses))
        {
            seen.Add(desired.Key);
            var fingerprint = desired.Status.ToJsonString();
            if (_written.TryGetValue(desired.Key, out var last) && last == fingerprint)
            {
                continue;
            }

            if (await WriteOneAsync(desired, ct).ConfigureAwait(false))
            {
                _written[desired.Key] = fingerprint;
            }
        }

        foreach (var key in _written.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _written.Remove(key);
        }
    }

    /// <summary>True when the object holds our status (written now or already), or is gone.</summary>
    private async Task<bool> WriteOneAsync(DesiredStatus desired, CancellationToken ct)
    {
        var path = desired.Kind.ObjectPath(desired.Namespace, desired.Name);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                JsonObject current;
                using (var document = await api.GetJsonAsync(path, ct).ConfigureAwait(false))
                {
                    current = JsonNode.Parse(document.RootElement.GetRawText()) as JsonObject ?? [];
                }

                var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                var merged = StatusDocuments.Merge(desired.Status, current["status"] as JsonObject, now);
                if (JsonNode.DeepEquals(merged, current["status"]))
                {
                    return true;
                }

                current["status"] = merged;
                using var written = await api.SendJsonAsync(HttpMethod.Put, path + "/status", current.ToJsonString(), "application/json", ct).ConfigureAwait(false);
                Interlocked.Increment(ref _writes);
                return true;
            }
            catch (KubernetesApiException e) when (e.Code == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Someone changed the object since we read it: read it again and re-merge.
            }
            catch (KubernetesApiException e) when (e.Code == HttpStatusCode.NotFound)
            {
                return true; // deleted since the translation: nothing to report on
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                KubernetesLog.StatusWriteFailed(logger, desired.Kind.Kind, desired.Key, e.Message);
                return false;
            }
        }

        return false;
    }
}
