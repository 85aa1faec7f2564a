using EnvoyExt.ControlPlane.XdsServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Hosting;

/// <summary>
/// What the xDS and admin servers share: a slim Kestrel app whose lifetime belongs to the caller (not to
/// console signals), logging as the controller configures it, and the address it really bound.
/// </summary>
internal static class EmbeddedWebHost
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    public static WebApplicationBuilder CreateBuilder(Action<ILoggingBuilder>? configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (configureLogging is not null)
        {
            builder.Logging.ClearProviders();
            configureLogging(builder.Logging);
        }
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, HostedByCaller>();
        // Long-lived streams end on ApplicationStopping; whatever still runs after this is cut off.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return builder;
    }

    /// <summary>Starts the app and returns the bound address (the real port when 0 was requested).</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken ct)
    {
        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(bound);
    }
}
