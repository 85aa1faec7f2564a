using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.Collections;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// Checks a request against <see cref="AdsStreamLimits"/> as soon as it is read, before it is queued
/// or remembered; a violation names the field and closes the stream.
/// </summary>
internal static class AdsRequestLimits
{
    public static string? Problem(DiscoveryRequest request, AdsStreamLimits limits) =>
        NodeProblem(request.Node, limits) ?? NamesProblem("resource_names", request.ResourceNames, limits);

    public static string? Problem(DeltaDiscoveryRequest request, AdsStreamLimits limits)
    {
        var count = request.ResourceNamesSubscribe.Count + request.ResourceNamesUnsubscribe.Count + request.InitialResourceVersions.Count;
        if (count > limits.MaxResourceNames)
        {
            return $"resource_names_subscribe, resource_names_unsubscribe, initial_resource_versions: at most {limits.MaxResourceNames} names per request (got {count})";
        }
        return NodeProblem(request.Node, limits)
            ?? NamesProblem("resource_names_subscribe", request.ResourceNamesSubscribe, limits)
            ?? NamesProblem("resource_names_unsubscribe", request.ResourceNamesUnsubscribe, limits)
            ?? NamesProblem("initial_resource_versions", [.. request.InitialResourceVersions.Keys], limits);
    }

    private static string? NodeProblem(Node? node, AdsStreamLimits limits)
    {
        if (node is null)
        {
            return null;
        }
        var id = Encoding.UTF8.GetByteCount(node.Id);
        if (id > limits.MaxNodeFieldBytes)
        {
            return $"node.id: at most {limits.MaxNodeFieldBytes} bytes (got {id})";
        }
        var cluster = Encoding.UTF8.GetByteCount(node.Cluster);
        return cluster > limits.MaxNodeFieldBytes ? $"node.cluster: at most {limits.MaxNodeFieldBytes} bytes (got {cluster})" : null;
    }

    private static string? NamesProblem(string field, RepeatedField<string> names, AdsStreamLimits limits)
    {
        if (names.Count > limits.MaxResourceNames)
        {
            return $"{field}: at most {limits.MaxResourceNames} names per request (got {names.Count})";
        }
        long bytes = 0;
        foreach (var name in names)
        {
            bytes += Encoding.UTF8.GetByteCount(name);
        }
        return bytes > limits.MaxResourceNameBytes ? $"{field}: at most {limits.MaxResourceNameBytes} bytes of names per request (got {bytes})" : null;
    }
}
