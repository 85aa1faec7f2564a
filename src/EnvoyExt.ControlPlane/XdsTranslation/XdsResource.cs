using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// One named xDS resource, packed into an Any once at translation time so every node and every
/// stream that serves it shares the same serialized bytes, with a hash of name and bytes from
/// which response versions are derived.
/// </summary>
public sealed class XdsResource
{
    public XdsResource(string name, IMessage message)
    {
        Name = name;
        Message = message;
        Packed = Any.Pack(message);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
        hash.AppendData([0]);
        hash.AppendData(Packed.Value.Span);
        ContentHash = hash.GetHashAndReset().AsSpan(0, 16).ToArray();
    }

    public string Name { get; }

    public IMessage Message { get; }

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
