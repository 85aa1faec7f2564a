using System.Threading.Channels;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>
/// Holds the latest status report and, while this replica leads, writes it to the cluster on its
/// own task (the translation loop only hands reports over). Gaining leadership writes the latest
/// report again from scratch: the previous leader may have left anything behind.
/// </summary>
public sealed class StatusPublisher
{
    private readonly LeaderElector _elector;
    private readonly StatusWriter _writer;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile Offered? _latest;
    private volatile bool _freshLeader;

    public StatusPublisher(LeaderElector elector, StatusWriter writer)
    {
        _elector = elector;
        _writer = writer;
        _elector.LeadershipChanged += leader =>
        {
            _freshLeader = leader;
            _wake.Writer.TryWrite(true);
        };
    }

    public StatusWriter Writer => _writer;

    private sealed record Offered(StatusReport Report, IReadOnlyDictionary<string, IReadOnlyList<GatewayAddress>> Addresses);

    /// <summary>
    /// Called after every translation; never blocks. <paramref name="addresses"/> are the Gateways'
    /// status.addresses (<see cref="GatewayAddresses"/>); a Gateway without any gets none.
    /// </summary>
    public void Offer(StatusReport report, IReadOnlyDictionary<string, IReadOnlyList<GatewayAddress>>? addresses = null)
    {
        _latest = new Offered(report, addresses ?? new Dictionary<string, IReadOnlyList<GatewayAddress>>());
        _wake.Writer.TryWrite(true);
    }

    public async Task RunAsync(ILogger logger, CancellationToken ct)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                if (!_elector.IsLeader || _latest is not { } offered)
                {
                    continue;
                }

                if (_freshLeader)
                {
                    _freshLeader = false;
                    _writer.Forget();
                }

                await _writer.WriteAsync(offered.Report, offered.Addresses, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            KubernetesLog.StatusPublisherStopped(logger);
        }
    }
}
