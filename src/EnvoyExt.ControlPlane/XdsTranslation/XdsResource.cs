using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// One named xDS resource, packed into an Any once at translation time so every node and every
/// stream that serves it shares the same serialized bytes, with a hash of name and bytes from
/// which response versions are derived.
/// </summary>
/// <remarks>
/// Only the bytes are kept, not the message they were serialized from: the message tree of a
/// 10,000-route RouteConfiguration is several times the size of its bytes, and while a change is
/// being translated the served set and the one being built are both alive. Readers that need the
/// message (JSON for /snapshot and the translate command, tests) parse it from the bytes.
/// </remarks>
public sealed class XdsResource
{
    private readonly MessageParser _parser;

    public XdsResource(string name, IMessage message)
    {
        Name = name;
        _parser = message.Descriptor.Parser;
        Packed = Any.Pack(message);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
        hash.AppendData([0]);
        hash.AppendData(Packed.Value.Span);
        ContentHash = hash.GetHashAndReset().AsSpan(0, 16).ToArray();
    }

    public string Name { get; }

    /// <summary>
    /// A fresh message parsed from the served bytes on every call (so equal to what clients
    /// receive). For cold paths only; the serving path sends <see cref="Packed"/>.
    /// </summary>
    public IMessage Message => _parser.ParseFrom(Packed.Value);

    public Any Packed { get; }

    /// <summary>First 16 bytes of SHA-256 over the name and the serialized resource.</summary>
    public ReadOnlyMemory<byte> ContentHash { get; }
}

/// <summary>Version strings: a hash of the resources a response carries, so equal content means equal version.</summary>
public static class XdsVersion
{
    public static string Of(IEnumerable<XdsResource> resources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var resource in resources)
        {
            hash.AppendData(resource.ContentHash.Span);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
