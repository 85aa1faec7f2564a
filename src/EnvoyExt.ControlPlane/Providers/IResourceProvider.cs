namespace EnvoyExt.ControlPlane.Providers;

/// <summary>
/// A source of resources (a folder of YAML today, the Kubernetes API later). The pipeline
/// translates every snapshot it yields; a provider yields one snapshot once its first read is
/// complete and then one per effective change, never a half-read state.
/// </summary>
public interface IResourceProvider
{
    IAsyncEnumerable<ResourceSnapshot> WatchAsync(CancellationToken cancellationToken);
}
