using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// The stream's metadata (worker thread): writes go to its dynamic metadata, under a namespace, where
/// later filters, the router and access logs (<c>%DYNAMIC_METADATA(ns:key)%</c>) read them; reads can
/// look at any source. Envoy copies what is written; views returned by reads die with the hook.
/// </summary>
public readonly unsafe ref struct StreamMetadata
{
    private readonly nint _envoy;

    internal StreamMetadata(nint envoy) => _envoy = envoy;

    /// <summary>Sets a string value.</summary>
    /// <param name="metadataNamespace">The namespace (e.g. a filter's name).</param>
    /// <param name="key">The key within the namespace.</param>
    /// <param name="value">The UTF-8 value.</param>
    public void SetString(ReadOnlySpan<byte> metadataNamespace, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        fixed (byte* ns = metadataNamespace)
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            EnvoyCallbacks.SetDynamicMetadataString(_envoy, new ModuleBuffer(ns, metadataNamespace.Length),
                new ModuleBuffer(k, key.Length), new ModuleBuffer(v, value.Length));
        }
    }

    /// <summary>Sets a number value.</summary>
    /// <param name="metadataNamespace">The namespace (e.g. a filter's name).</param>
    /// <param name="key">The key within the namespace.</param>
    /// <param name="value">The value.</param>
    public void SetNumber(ReadOnlySpan<byte> metadataNamespace, ReadOnlySpan<byte> key, double value)
    {
        fixed (byte* ns = metadataNamespace)
        fixed (byte* k = key)
        {
            EnvoyCallbacks.SetDynamicMetadataNumber(_envoy, new ModuleBuffer(ns, metadataNamespace.Length),
                new ModuleBuffer(k, key.Length), value);
        }
    }

    /// <summary>Sets a boolean value.</summary>
    /// <param name="metadataNamespace">The namespace (e.g. a filter's name).</param>
    /// <param name="key">The key within the namespace.</param>
    /// <param name="value">The value.</param>
    public void SetBool(ReadOnlySpan<byte> metadataNamespace, ReadOnlySpan<byte> key, bool value)
    {
        fixed (byte* ns = metadataNamespace)
        fixed (byte* k = key)
        {
            EnvoyCallbacks.SetDynamicMetadataBool(_envoy, new ModuleBuffer(ns, metadataNamespace.Length),
                new ModuleBuffer(k, key.Length), value ? (byte)1 : (byte)0);
        }
    }

    /// <summary>True when Envoy offers <see cref="TrySetStruct"/> (1.40's <c>set_dynamic_metadata_struct</c>).</summary>
    public static bool SupportsStruct => EnvoyCallbacks.SetDynamicMetadataStruct != null;

    /// <summary>
    /// Merges a protobuf-binary <c>google.protobuf.Struct</c> into the namespace, key by key (nested
    /// structs and lists kept as they are); Envoy ignores bytes that do not parse.
    /// </summary>
    /// <param name="metadataNamespace">The namespace (e.g. a filter's name).</param>
    /// <param name="serializedStruct">The Struct's wire bytes.</param>
    /// <returns>False when this Envoy has no struct setter (nothing was written).</returns>
    public bool TrySetStruct(ReadOnlySpan<byte> metadataNamespace, ReadOnlySpan<byte> serializedStruct)
    {
        var setter = EnvoyCallbacks.SetDynamicMetadataStruct;
        if (setter == null)
        {
            return false;
        }
        fixed (byte* ns = metadataNamespace)
        fixed (byte* v = serializedStruct)
        {
            setter(_envoy, new ModuleBuffer(ns, metadataNamespace.Length), new ModuleBuffer(v, serializedStruct.Length));
        }
        return true;
    }

    /// <summary>Reads a string value.</summary>
    /// <param name="source">Where to look.</param>
    /// <param name="metadataNamespace">The namespace.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">Its bytes (valid until the hook returns), or empty.</param>
    /// <returns>False when there is no such key or it holds no string.</returns>
    public bool TryGetString(MetadataSource source, ReadOnlySpan<byte> metadataNamespace, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        EnvoyBuffer result = default;
        byte found;
        fixed (byte* ns = metadataNamespace)
        fixed (byte* k = key)
        {
            found = EnvoyCallbacks.GetMetadataString(_envoy, (int)source, new ModuleBuffer(ns, metadataNamespace.Length),
                new ModuleBuffer(k, key.Length), &result);
        }
        value = found != 0 ? result.AsSpan() : default;
        return found != 0;
    }

    /// <summary>Reads a number value.</summary>
    /// <param name="source">Where to look.</param>
    /// <param name="metadataNamespace">The namespace.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or 0.</param>
    /// <returns>False when there is no such key or it holds no number.</returns>
    public bool TryGetNumber(MetadataSource source, ReadOnlySpan<byte> metadataNamespace, ReadOnlySpan<byte> key, out double value)
    {
        double result = 0;
        byte found;
        fixed (byte* ns = metadataNamespace)
        fixed (byte* k = key)
        {
            found = EnvoyCallbacks.GetMetadataNumber(_envoy, (int)source, new ModuleBuffer(ns, metadataNamespace.Length),
                new ModuleBuffer(k, key.Length), &result);
        }
        value = found != 0 ? result : 0;
        return found != 0;
    }

    /// <summary>Reads a boolean value.</summary>
    /// <param name="source">Where to look.</param>
    /// <param name="metadataNamespace">The namespace.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or false.</param>
    /// <returns>False when there is no such key or it holds no boolean.</returns>
    public bool TryGetBool(MetadataSource source, ReadOnlySpan<byte> metadataNamespace, ReadOnlySpan<byte> key, out bool value)
    {
        byte result = 0;
        byte found;
        fixed (byte* ns = metadataNamespace)
        fixed (byte* k = key)
        {
            found = EnvoyCallbacks.GetMetadataBool(_envoy, (int)source, new ModuleBuffer(ns, metadataNamespace.Length),
                new ModuleBuffer(k, key.Length), &result);
        }
        value = found != 0 && result != 0;
        return found != 0;
    }
}
