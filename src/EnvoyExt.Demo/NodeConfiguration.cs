using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;

namespace EnvoyExt.Demo;

/// <summary>
/// What one node received from the controller: its listeners, the route tables they name, and the
/// generic secrets its filters read (name -> value).
/// </summary>
internal sealed record NodeConfiguration(
    IReadOnlyList<Listener> Listeners,
    IReadOnlyDictionary<string, RouteConfiguration> Routes,
    IReadOnlyList<string> ClusterNames,
    IReadOnlyDictionary<string, string> GenericSecrets);
