using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// One resource type's sub-stream on an ADS stream: what the client subscribed to, and what we last
/// sent it. Touched only by the stream's single processing loop, so it needs no locking.
/// </summary>
internal sealed class TypeSubscription(string typeUrl)
{
    public string TypeUrl { get; } = typeUrl;

    /// <summary>The client has sent at least one request for this type on this stream.</summary>
    public bool Requested { get; private set; }

    public bool Wildcard { get; private set; }

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Legacy wildcard rule: an empty LDS/CDS name list means "everything" only until the client has
    /// named a resource on this stream; afterwards it means "nothing".
    /// </summary>
    public bool EverNamed { get; private set; }

    /// <summary>A request is waiting for an answer (first request, or a grown subscription).</summary>
    public bool Pending { get; set; }

    /// <summary>Set on EDS after a CDS push: its next request is answered even when nothing changed, because re-created clusters only finish warming on a fresh EDS response.</summary>
    public bool AnswerNextRequest { get; set; }

    public string? SentNonce { get; private set; }

    public string? SentVersion { get; private set; }

    public IReadOnlySet<string> SentNames { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Applies the request's resource_names; returns true when the subscription grew (a name, or
    /// the wildcard, was added), which must be answered even if the content was sent before.
    /// </summary>
    public bool Update(IReadOnlyCollection<string> requested)
    {
        var first = !Requested;
        Requested = true;
        var wasWildcard = Wildcard;
        var explicitNames = requested.Where(n => n != "*").ToHashSet(StringComparer.Ordinal);
        if (explicitNames.Count > 0)
        {
            EverNamed = true;
        }
        Wildcard = XdsTypeUrls.IsFullState(TypeUrl) &&
            (requested.Contains("*") || (requested.Count == 0 && !EverNamed));
        var grew = first || (Wildcard && !wasWildcard) || explicitNames.Any(n => !Names.Contains(n));
        Names.Clear();
        Names.UnionWith(explicitNames);
        return grew;
    }

    /// <summary>The resources this subscription currently selects, in the snapshot's order.</summary>
    public List<XdsResource> Select(GatewayXdsResources snapshot) =>
        Wildcard
            ? snapshot.Get(TypeUrl).ToList()
            : snapshot.Get(TypeUrl).Where(r => Names.Contains(r.Name)).ToList();

    public void RecordSent(string nonce, string version, IReadOnlySet<string> names)
    {
        SentNonce = nonce;
        SentVersion = version;
        SentNames = names;
        Pending = false;
    }
}
