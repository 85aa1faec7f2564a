using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// The port a RequestRedirect puts in the Location, per listener, as the upstream
/// HTTPRouteRedirectPortAndScheme conformance test expects it (null: no port in the Location).
/// </summary>
public sealed class RedirectPortTests
{
    [Theory]
    // HTTP listener on 80.
    [InlineData("HTTP", 80, null, null, null)]
    [InlineData("HTTP", 80, null, 80, null)]
    [InlineData("HTTP", 80, null, 8080, 8080)]
    [InlineData("HTTP", 80, "https", null, null)]
    [InlineData("HTTP", 80, "https", 443, null)]
    [InlineData("HTTP", 80, "https", 8443, 8443)]
    // HTTP listener on 8080: no scheme and no port keep the listener's port.
    [InlineData("HTTP", 8080, null, null, 8080)]
    [InlineData("HTTP", 8080, null, 80, null)]
    [InlineData("HTTP", 8080, "https", null, null)]
    // HTTPS listener on 443.
    [InlineData("HTTPS", 443, null, null, null)]
    [InlineData("HTTPS", 443, null, 443, null)]
    [InlineData("HTTPS", 443, null, 8443, 8443)]
    [InlineData("HTTPS", 443, "http", null, null)]
    [InlineData("HTTPS", 443, "http", 80, null)]
    [InlineData("HTTPS", 443, "http", 8080, 8080)]
    public void TheLocationPortFollowsTheSpec(string protocol, int listenerPort, string? scheme, int? port, int? expected)
    {
        var listener = new Listener { Name = "l", Port = listenerPort, Protocol = protocol };
        var redirect = new IrRedirect(scheme, "example.org", null, port, 302);

        Assert.Equal(expected, ControlPlane.GatewayApi.IrBuilder.RedirectPort(redirect, listener));
    }
}
