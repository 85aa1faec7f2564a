namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

public sealed record KubernetesOptions
{
    /// <summary>A kubeconfig file; null means in-cluster configuration (service account token).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Watch only this namespace (cluster-scoped kinds are always watched); null watches all.</summary>
    public string? Namespace { get; init; }

    /// <summary>Quiet period after a change before a snapshot is built: a burst becomes one translation.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound on how long a steady stream of changes can hold a snapshot back.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First and largest wait before reconnecting after a failed list or watch (doubling in between).</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The server ends each watch after this long (timeoutSeconds); the informer resumes from its last version.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
