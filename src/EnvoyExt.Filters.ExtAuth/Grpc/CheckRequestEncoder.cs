using System.Buffers.Binary;
using System.Buffers.Text;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ExtAuth.Grpc;

/// <summary>
/// Writes a gRPC-framed <c>envoy.service.auth.v3.CheckRequest</c> for the current request: source and
/// destination addresses, the TLS facts the ABI exposes (SNI, the peer's principal), and the HTTP request
/// (id, method, headers, path, host, scheme, protocol, size, and the collected body as raw_body). Field
/// numbers follow upstream's envoy/service/auth/v3/attribute_context.proto and config/core/v3/address.proto.
/// </summary>
internal static class CheckRequestEncoder
{
    /// <summary>The gRPC message prefix: a compression flag and a big-endian length.</summary>
    public const int FrameHeaderLength = 5;

    private const int FixedOverhead = 4096;
    private const int PerHeaderOverhead = 16;

    /// <summary>An upper bound of the framed message, so the caller can size its buffer once.</summary>
    public static int MaxSize(HttpFilterContext ctx, ExtAuthSettings settings, int bodyLength)
    {
        long total = FixedOverhead + (long)bodyLength;
        if (settings.HeadersToExtAuth.Length == 0)
        {
            foreach (var header in ctx.RequestHeaders)
            {
                total += header.Key.Length + header.Value.Length + PerHeaderOverhead;
            }
        }
        else
        {
            var headers = ctx.RequestHeaders;
            foreach (var name in settings.HeadersToExtAuth)
            {
                int count = headers.Count(name);
                for (int i = 0; i < count; i++)
                {
                    if (headers.TryGet(name, i, out var value))
                    {
                        total += name.Length + value.Length + PerHeaderOverhead;
                    }
                }
            }
            foreach (var pseudo in PseudoHeaders)
            {
                if (headers.TryGet(pseudo, out var value))
                {
                    total += pseudo.Length + value.Length + PerHeaderOverhead;
                }
            }
        }
        return (int)Math.Min(total, int.MaxValue);
    }

    /// <summary>Writes the framed message into <paramref name="buffer"/>; the written length, or -1 when it does not fit.</summary>
    public static int Write(HttpFilterContext ctx, ExtAuthSettings settings, ReadOnlySpan<byte> body, bool partialBody, bool bodySent, Span<byte> buffer)
    {
        if (buffer.Length < FrameHeaderLength)
        {
            return -1;
        }
        var writer = new ProtoWriter(buffer[FrameHeaderLength..]);
        int attributes = writer.BeginMessage(1); // CheckRequest.attributes
        WritePeer(ref writer, ctx, 1, AttributeId.SourceAddress, withPrincipal: true); // AttributeContext.source
        WritePeer(ref writer, ctx, 2, AttributeId.DestinationAddress, withPrincipal: false); // .destination
        int request = writer.BeginMessage(4); // AttributeContext.request
        int http = writer.BeginMessage(2); // Request.http
        WriteHttpRequest(ref writer, ctx, settings, body, partialBody, bodySent);
        writer.EndMessage(http);
        writer.EndMessage(request);
        if (ctx.TryGetAttributeString(AttributeId.ConnectionRequestedServerName, out var sni) && !sni.IsEmpty)
        {
            int tls = writer.BeginMessage(12); // AttributeContext.tls_session
            writer.String(1, sni); // TLSSession.sni
            writer.EndMessage(tls);
        }
        writer.EndMessage(attributes);
        if (writer.Overflowed)
        {
            return -1;
        }
        buffer[0] = 0; // not compressed
        BinaryPrimitives.WriteUInt32BigEndian(buffer[1..], (uint)writer.Position);
        return FrameHeaderLength + writer.Position;
    }

    private static ReadOnlySpan<byte> PathHeader => ":path"u8;

    private static readonly byte[][] PseudoHeaders = [":authority"u8.ToArray(), ":method"u8.ToArray(), ":path"u8.ToArray(), ":scheme"u8.ToArray()];

    private static void WriteHttpRequest(ref ProtoWriter writer, HttpFilterContext ctx, ExtAuthSettings settings,
        ReadOnlySpan<byte> body, bool partialBody, bool bodySent)
    {
        var headers = ctx.RequestHeaders;
        if (headers.TryGet("x-request-id"u8, out var id))
        {
            writer.String(1, id); // HttpRequest.id
        }
        if (headers.TryGet(":method"u8, out var method))
        {
            writer.String(2, method); // .method
        }
        if (settings.HeadersToExtAuth.Length == 0)
        {
            foreach (var header in headers)
            {
                MapEntry(ref writer, header.Key, header.Value);
            }
        }
        else
        {
            foreach (var pseudo in PseudoHeaders)
            {
                if (headers.TryGet(pseudo, out var value))
                {
                    MapEntry(ref writer, pseudo, value);
                }
            }
            foreach (var name in settings.HeadersToExtAuth)
            {
                int count = headers.Count(name);
                for (int i = 0; i < count; i++)
                {
                    if (headers.TryGet(name, i, out var value))
                    {
                        MapEntry(ref writer, name, value);
                    }
                }
            }
        }
        if (bodySent)
        {
            MapEntry(ref writer, "x-envoy-auth-partial-body"u8, partialBody ? "true"u8 : "false"u8);
        }
        if (headers.TryGet(PathHeader, out var path))
        {
            writer.String(4, path); // .path
        }
        if (headers.TryGet(":authority"u8, out var host) || headers.TryGet("host"u8, out host))
        {
            writer.String(5, host); // .host
        }
        if (headers.TryGet(":scheme"u8, out var scheme))
        {
            writer.String(6, scheme); // .scheme
        }
        if (headers.TryGet("content-length"u8, out var contentLength) && Utf8Parser.TryParse(contentLength, out long size, out int used) && used == contentLength.Length)
        {
            writer.Int64(9, size); // .size
        }
        if (ctx.TryGetAttributeString(AttributeId.RequestProtocol, out var protocol))
        {
            writer.String(10, protocol); // .protocol
        }
        if (bodySent)
        {
            writer.String(12, body); // .raw_body
        }
    }

    // map<string, string> headers = 3: each entry is a message {key = 1, value = 2}.
    private static void MapEntry(ref ProtoWriter writer, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int entry = writer.BeginMessage(3);
        writer.String(1, key);
        writer.String(2, value);
        writer.EndMessage(entry);
    }

    private static void WritePeer(ref ProtoWriter writer, HttpFilterContext ctx, int field, AttributeId addressAttribute, bool withPrincipal)
    {
        bool hasAddress = ctx.TryGetAttributeString(addressAttribute, out var address) && !address.IsEmpty;
        ReadOnlySpan<byte> principal = default;
        if (withPrincipal &&
            !(ctx.TryGetAttributeString(AttributeId.ConnectionUriSanPeerCertificate, out principal) && !principal.IsEmpty))
        {
            ctx.TryGetAttributeString(AttributeId.ConnectionSubjectPeerCertificate, out principal);
        }
        if (!hasAddress && principal.IsEmpty)
        {
            return;
        }
        int peer = writer.BeginMessage(field);
        if (hasAddress)
        {
            SplitHostPort(address, out var ip, out uint port);
            int addressMessage = writer.BeginMessage(1); // Peer.address
            int socket = writer.BeginMessage(1); // Address.socket_address
            writer.String(2, ip); // SocketAddress.address
            writer.UInt(3, port); // SocketAddress.port_value
            writer.EndMessage(socket);
            writer.EndMessage(addressMessage);
        }
        writer.String(4, principal); // Peer.principal
        writer.EndMessage(peer);
    }

    // "1.2.3.4:80", "[::1]:80", or an address without a port.
    private static void SplitHostPort(ReadOnlySpan<byte> address, out ReadOnlySpan<byte> ip, out uint port)
    {
        port = 0;
        ip = address;
        int colon = address.LastIndexOf((byte)':');
        if (colon <= 0)
        {
            return;
        }
        bool bracketed = address[0] == '[';
        if (!bracketed && address[..colon].Contains((byte)':'))
        {
            return; // a bare IPv6 address
        }
        if (Utf8Parser.TryParse(address[(colon + 1)..], out uint parsed, out int used) && used == address.Length - colon - 1)
        {
            port = parsed;
            ip = address[..colon];
        }
        if (bracketed && ip.Length >= 2 && ip[^1] == ']')
        {
            ip = ip[1..^1];
        }
    }
}
