using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// One resource type on an incremental (Delta) ADS stream: the subscription and which version of
/// each resource the client holds. Touched only by the stream's loop.
/// </summary>
internal sealed class DeltaSubscription(string typeUrl)
{
    public string TypeUrl { get; } = typeUrl;

    public bool Requested { get; private set; }

    public bool Wildcard { get; private set; }

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Name -> version the client holds (what we sent, or what it reported after a reconnect).</summary>
    public Dictionary<string, string> Known { get; } = new(StringComparer.Ordinal);

    /// <summary>Names from the latest resource_names_subscribe: always answered, even if the client seems to have them.</summary>
    public HashSet<string> MustSend { get; } = new(StringComparer.Ordinal);

    public string? SentNonce { get; set; }

    public void Apply(IReadOnlyCollection<string> subscribe, IReadOnlyCollection<string> unsubscribe, IReadOnlyDictionary<string, string> initialVersions)
    {
        if (!Requested)
        {
            Requested = true;
            // Legacy wildcard: a first LDS/CDS request naming nothing means "everything".
            Wildcard = XdsTypeUrls.IsFullState(TypeUrl) && subscribe.Count == 0;
            foreach (var (name, version) in initialVersions)
            {
                Known[name] = version;
            }
        }
        foreach (var name in subscribe)
        {
            if (name == "*")
            {
                Wildcard = true;
                continue;
            }
            Names.Add(name);
            MustSend.Add(name);
        }
        foreach (var name in unsubscribe)
        {
            if (name == "*")
            {
                Wildcard = false;
                continue;
            }
            // Unknown names are ignored. Forgetting the client's copy makes a wildcard subscriber
            // get the resource again, as the protocol requires when it stays subscribed through "*".
            Names.Remove(name);
            Known.Remove(name);
        }
    }

    public bool Wants(string name) => Wildcard || Names.Contains(name);
}
