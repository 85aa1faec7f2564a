using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.Demo;

/// <summary>
/// Turns a filter_config Any into the bytes Envoy 1.40 passes to the module's config hooks
/// (MessageUtil::anyToBytes): the raw value of a StringValue or BytesValue, the JSON text of a Struct,
/// and the serialized message for anything else.
/// </summary>
internal static class FilterConfigBytes
{
    public static string ToModuleText(Any? config)
    {
        if (config is null)
        {
            return "";
        }

        if (config.Is(StringValue.Descriptor))
        {
            return config.Unpack<StringValue>().Value;
        }

        if (config.Is(BytesValue.Descriptor))
        {
            return config.Unpack<BytesValue>().Value.ToStringUtf8();
        }

        if (config.Is(Struct.Descriptor))
        {
            return JsonFormatter.Default.Format(config.Unpack<Struct>());
        }

        return config.Value.ToStringUtf8();
    }
}
