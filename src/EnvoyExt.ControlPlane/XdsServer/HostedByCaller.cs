using Microsoft.Extensions.Hosting;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// Host lifetime for servers embedded in a larger program: the caller owns Ctrl+C / SIGTERM and
/// stops the server itself. The default console lifetime would swallow SIGTERM, stop only the web
/// host and leave the controller's watch loop running forever.
/// </summary>
public sealed class HostedByCaller : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
