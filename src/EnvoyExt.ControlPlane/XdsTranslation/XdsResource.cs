using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// One named xDS resource, packed into an Any once at translation time so every node and every
/// stream that serves it shares the same serialized bytes.
/// </summary>
public sealed class XdsResource
{
    public XdsResource(string name, IMessage message)
    {
        Name = name;
        Message = message;
        Packed = Any.Pack(message);
    }

    public string Name { get; }

    public IMessage Message { get; }

    public Any Packed { get; }
}
