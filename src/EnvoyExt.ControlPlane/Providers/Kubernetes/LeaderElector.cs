using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

public sealed record LeaderElectionOptions
{
    public string Namespace { get; init; } = "envoyext-system";

    public string LeaseName { get; init; } = "envoyext-controller";

    /// <summary>Unique per replica (pod name plus a random part by default).</summary>
    public string Identity { get; init; } = Environment.MachineName + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How long a lease holds without renewal; another replica takes over after it lapses.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A leader that has not renewed for this long steps down (before the lease lapses for others).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Empty the lease on a clean stop so the next replica need not wait for it to lapse.</summary>
    public bool ReleaseOnStop { get; init; } = true;
}

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease with optimistic concurrency: every write
/// carries the resourceVersion it read, so two replicas racing for a lapsed lease get one 200 and
/// one 409. Expiry is judged by this replica's clock from when it last saw the record change (as
/// client-go does), never by comparing clocks across machines. Only the leader writes status;
/// every replica serves xDS regardless.
/// </summary>
public sealed class LeaderElector(KubernetesApi api, LeaderElectionOptions options, ILogger logger)
{
    private volatile bool _isLeader;
    private string? _observedRecord;
    private DateTime _observedAt;
    private DateTime _lastRenewed;

    public bool IsLeader => _isLeader;

    public string Identity => options.Identity;

    /// <summary>Raised with the new state whenever leadership is gained or lost.</summary>
    public event Action<bool>? LeadershipChanged;

    private string LeasePath => $"/apis/coordination.k8s.io/v1/namespaces/{options.Namespace}/leases/{options.LeaseName}";

    /// <summary>Tries to acquire or renew every retry period until cancelled; releases the lease on the way out when held.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var held = await TryAcquireOrRenewAsync(ct).ConfigureAwait(false);
            if (held)
            {
                _lastRenewed = DateTime.UtcNow;
            }

            SetLeader(held || (_isLeader && DateTime.UtcNow - _lastRenewed < options.RenewDeadline));
            try
            {
                await Task.Delay(options.RetryPeriod, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (_isLeader && options.ReleaseOnStop)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        SetLeader(false);
    }

    private void SetLeader(bool leader)
    {
        if (leader == _isLeader)
        {
            return;
        }

        _isLeader = leader;
        KubernetesLog.LeadershipChanged(logger, options.Identity, leader ? "took" : "lost", options.Namespace, options.LeaseName);
        LeadershipChanged?.Invoke(leader);
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        try
        {
            JsonObject lease;
            try
            {
                using var document = await api.GetJsonAsync(LeasePath, ct).ConfigureAwait(false);
                lease = JsonNode.Parse(document.RootElement.GetRawText()) as JsonObject ?? [];
            }
            catch (KubernetesApiException e) when (e.Code == HttpStatusCode.NotFound)
            {
                var created = new JsonObject
                {
                    ["apiVersion"] = "coordination.k8s.io/v1",
                    ["kind"] = "Lease",
                    ["metadata"] = new JsonObject { ["name"] = options.LeaseName, ["namespace"] = options.Namespace },
                    ["spec"] = Spec(now, now, 0),
                };
                using var _ = await api.SendJsonAsync(HttpMethod.Post, LeasePath[..LeasePath.LastIndexOf('/')], created.ToJsonString(), "application/json", ct).ConfigureAwait(false);
                return true;
            }

            var spec = lease["spec"] as JsonObject ?? [];
            var holder = (string?)spec["holderIdentity"];
            var record = spec.ToJsonString();
            if (record != _observedRecord)
            {
                _observedRecord = record;
                _observedAt = now;
            }

            var duration = TimeSpan.FromSeconds((int?)spec["leaseDurationSeconds"] ?? (int)options.LeaseDuration.TotalSeconds);
            var mine = holder == options.Identity;
            var lapsed = string.IsNullOrEmpty(holder) || now - _observedAt >= duration;
            if (!mine && !lapsed)
            {
                return false;
            }

            var transitions = (int?)spec["leaseTransitions"] ?? 0;
            var acquired = mine ? (string?)spec["acquireTime"] ?? MicroTime(now) : MicroTime(now);
            lease["spec"] = Spec(now, null, mine ? transitions : transitions + 1);
            lease["spec"]!["acquireTime"] = acquired;
            using var updated = await api.SendJsonAsync(HttpMethod.Put, LeasePath, lease.ToJsonString(), "application/json", ct).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.Code == HttpStatusCode.Conflict)
        {
            return false; // another replica wrote the lease first
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
        {
            KubernetesLog.LeaseFailed(logger, options.Namespace, options.LeaseName, e.Message);
            return false;
        }
    }

    /// <summary>Hands the lease over at once on a clean stop: an empty holder is free for the next replica.</summary>
    private async Task ReleaseAsync()
    {
        using var bound = new CancellationTokenSource(options.RetryPeriod);
        try
        {
            using var document = await api.GetJsonAsync(LeasePath, bound.Token).ConfigureAwait(false);
            var lease = JsonNode.Parse(document.RootElement.GetRawText()) as JsonObject ?? [];
            if ((string?)lease["spec"]?["holderIdentity"] == options.Identity)
            {
                lease["spec"]!["holderIdentity"] = null;
                using var _ = await api.SendJsonAsync(HttpMethod.Put, LeasePath, lease.ToJsonString(), "application/json", bound.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
        {
            KubernetesLog.LeaseReleaseFailed(logger, options.Namespace, options.LeaseName, e.Message);
        }
    }

    private JsonObject Spec(DateTime now, DateTime? acquired, int transitions)
    {
        var spec = new JsonObject
        {
            ["holderIdentity"] = options.Identity,
            ["leaseDurationSeconds"] = (int)Math.Ceiling(options.LeaseDuration.TotalSeconds),
            ["renewTime"] = MicroTime(now),
            ["leaseTransitions"] = transitions,
        };
        if (acquired is { } at)
        {
            spec["acquireTime"] = MicroTime(at);
        }

        return spec;
    }

    private static string MicroTime(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
}
