using Envoy.Config.Core.V3;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// Which Gateway a connecting Envoy serves. The bootstrap sets node.cluster to
/// "&lt;namespace&gt;/&lt;gateway&gt;" (every replica of one Gateway shares it, while node.id stays unique
/// per replica); when cluster is empty, node.id is used as the key instead, so a single test proxy
/// can name its Gateway through its id.
/// </summary>
public static class NodeKey
{
    public static string? From(Node? node)
    {
        if (node is null)
        {
            return null;
        }
        if (!string.IsNullOrWhiteSpace(node.Cluster))
        {
            return node.Cluster;
        }
        return string.IsNullOrWhiteSpace(node.Id) ? null : node.Id;
    }
}
