namespace EnvoyExt.DynamicModules.Testing;

/// <summary>A local reply a filter sent (<c>send_response</c>).</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Headers">The filter's extra headers, in order.</param>
/// <param name="Body">The body as UTF-8 text.</param>
/// <param name="Details">The response-code details.</param>
public sealed record FakeLocalReply(uint Status, IReadOnlyList<(string Name, string Value)> Headers, string Body, string Details)
{
    /// <summary>The first value of a header of the reply, or null.</summary>
    /// <param name="name">Lower-case header name.</param>
    /// <returns>The value or null.</returns>
    public string? Header(string name) => Headers.Where(h => h.Name == name).Select(h => h.Value).FirstOrDefault();
}

/// <summary>A one-shot HTTP callout a filter started.</summary>
/// <param name="Id">The id the filter got.</param>
/// <param name="Cluster">Target cluster.</param>
/// <param name="Headers">Request headers, in order.</param>
/// <param name="Body">Request body as UTF-8 text.</param>
/// <param name="TimeoutMs">Timeout the filter asked for.</param>
public sealed record FakeCallout(ulong Id, string Cluster, IReadOnlyList<(string Name, string Value)> Headers, string Body, ulong TimeoutMs);

/// <summary>A streaming HTTP callout a filter started, and what it sent on it since.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "Envoy's term: the ABI's streaming HTTP callout (http_stream), not a System.IO.Stream.")]
public sealed class FakeHttpStream
{
    internal FakeHttpStream(ulong id, string cluster, IReadOnlyList<(string Name, string Value)> headers, bool endOfStream, ulong timeoutMs)
    {
        Id = id;
        Cluster = cluster;
        Headers = headers;
        RequestEnded = endOfStream;
        TimeoutMs = timeoutMs;
    }

    /// <summary>The id the filter got.</summary>
    public ulong Id { get; }

    /// <summary>Target cluster.</summary>
    public string Cluster { get; }

    /// <summary>Request headers, in order.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers { get; }

    /// <summary>Timeout the filter asked for.</summary>
    public ulong TimeoutMs { get; }

    /// <summary>Request body sent so far (initial body and data frames), as UTF-8 text.</summary>
    public string SentBody => System.Text.Encoding.UTF8.GetString(_sent.ToArray());

    /// <summary>Request body sent so far, as bytes (binary payloads such as gRPC frames).</summary>
    public byte[] SentBytes => _sent.ToArray();

    private readonly List<byte> _sent = [];

    internal void AppendSent(ReadOnlySpan<byte> bytes) => _sent.AddRange(bytes);

    /// <summary>Request trailers, once sent.</summary>
    public IReadOnlyList<(string Name, string Value)>? SentTrailers { get; internal set; }

    /// <summary>True once the request side ended (end_stream data or trailers).</summary>
    public bool RequestEnded { get; internal set; }

    /// <summary>True until complete or reset was delivered (or the filter reset it).</summary>
    public bool IsOpen { get; internal set; } = true;

    /// <summary>True when the filter itself reset the stream.</summary>
    public bool ResetByFilter { get; internal set; }
}
