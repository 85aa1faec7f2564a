using EnvoyExt.ControlPlane.Providers;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Providers.Standalone;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.Controller;

/// <summary>
/// Where `serve` reads resources from: a folder (--config-dir) or a Kubernetes API server
/// (--kubeconfig &lt;file&gt;, or --kubeconfig in-cluster for the pod's service account), optionally
/// scoped to one namespace (--namespace). Exactly one source; checked before anything starts.
/// </summary>
internal sealed class ProviderChoice
{
    public const string InCluster = "in-cluster";

    private ProviderChoice(string? folder, string? kubeconfig, string? ns)
    {
        Folder = folder;
        Kubeconfig = kubeconfig;
        Namespace = ns;
    }

    public string? Folder { get; }

    public string? Kubeconfig { get; }

    public string? Namespace { get; }

    public string Description => Folder is not null
        ? "config from " + Folder
        : $"resources from the Kubernetes API ({(Kubeconfig == InCluster ? "in-cluster" : Kubeconfig)}{(Namespace is null ? ", all namespaces" : ", namespace " + Namespace)})";

    public static ProviderChoice Parse(CommandLine args)
    {
        var kubeconfig = args.Get("--kubeconfig");
        var ns = args.Get("--namespace");
        if (kubeconfig is null)
        {
            if (ns is not null)
            {
                throw new UsageException("--namespace: only with --kubeconfig");
            }

            return new ProviderChoice(args.RequireDirectory("--config-dir"), null, null);
        }

        if (args.Get("--config-dir") is not null)
        {
            throw new UsageException("--config-dir and --kubeconfig: give one source of resources, not both");
        }

        if (kubeconfig != InCluster && !File.Exists(kubeconfig))
        {
            throw new UsageException($"--kubeconfig: file not found: {kubeconfig}");
        }

        return new ProviderChoice(null, kubeconfig == InCluster ? InCluster : Path.GetFullPath(kubeconfig), ns);
    }

    /// <summary>The provider and, for Kubernetes, leader election and the status loop beside it.</summary>
    public ResourceSource Create(ILoggerFactory loggerFactory)
    {
        if (Folder is not null)
        {
            return new ResourceSource(new StandaloneProvider(new StandaloneOptions { Folder = Folder }), null, null, null);
        }

        var api = new KubernetesApi(Kubeconfig == InCluster ? null : Kubeconfig);
        var provider = new KubernetesProvider(api, new KubernetesOptions { Namespace = Namespace }, loggerFactory.CreateLogger<KubernetesProvider>());
        var election = new LeaderElectionOptions();
        // In a pod the Deployment passes its namespace and name (downward API); elsewhere the defaults hold.
        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } podNamespace)
        {
            election = election with { Namespace = podNamespace };
        }

        if (Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } podName)
        {
            election = election with { Identity = podName };
        }

        var elector = new LeaderElector(api, election, loggerFactory.CreateLogger<LeaderElector>());
        var status = new StatusPublisher(elector, new StatusWriter(api, loggerFactory.CreateLogger<StatusWriter>()));
        return new ResourceSource(provider, api, elector, status);
    }
}

/// <summary>What `serve` runs for its source: the provider, and for Kubernetes the leadership and status halves.</summary>
internal sealed record ResourceSource(IResourceProvider Provider, IDisposable? Owned, LeaderElector? Elector, StatusPublisher? Status) : IDisposable
{
    /// <summary>Leader election and the status loop (nothing for a folder); they end with <paramref name="ct"/>.</summary>
    public Task RunBackgroundAsync(ILogger logger, CancellationToken ct) => Elector is null || Status is null
        ? Task.CompletedTask
        : Task.WhenAll(Task.Run(() => Elector.RunAsync(ct), CancellationToken.None), Task.Run(() => Status.RunAsync(logger, ct), CancellationToken.None));

    public void Dispose() => Owned?.Dispose();
}
