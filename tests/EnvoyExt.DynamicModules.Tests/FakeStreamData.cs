using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// Envoy-side header map and body of one fake stream, with Envoy's semantics (repeated keys, set
/// replaces every value, a NULL value pointer removes, drain from the front). Bytes live in native
/// memory so the views handed to the SDK stay put, as Envoy's do.
/// </summary>
internal static unsafe class FakeStreamData
{
    private static readonly List<(nint Key, int KeyLength, nint Value, int ValueLength)> s_headers = [];
    private static readonly List<byte[]> s_body = [];
    private static readonly List<nint> s_allocations = [];
    private static GCHandle[] s_bodyPins = [];
    public static int SetCalls;
    public static int AddCalls;

    public static void Reset()
    {
        foreach (var p in s_allocations)
        {
            NativeMemory.Free((void*)p);
        }
        s_allocations.Clear();
        s_headers.Clear();
        UnpinBody();
        s_body.Clear();
        SetCalls = AddCalls = 0;
    }

    public static void AddBodyChunk(string text) => s_body.Add(System.Text.Encoding.UTF8.GetBytes(text));

    public static string BodyText => string.Concat(s_body.Select(b => System.Text.Encoding.UTF8.GetString(b)));

    public static nint Lookup(string name) => name switch
    {
        "envoy_dynamic_module_callback_http_get_header" =>
            (nint)(delegate* unmanaged<nint, int, ModuleBuffer, EnvoyBuffer*, nuint, nuint*, byte>)&GetHeader,
        "envoy_dynamic_module_callback_http_get_headers_size" => (nint)(delegate* unmanaged<nint, int, nuint>)&GetHeadersSize,
        "envoy_dynamic_module_callback_http_get_headers" => (nint)(delegate* unmanaged<nint, int, EnvoyHttpHeader*, byte>)&GetHeaders,
        "envoy_dynamic_module_callback_http_set_header" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte>)&SetHeader,
        "envoy_dynamic_module_callback_http_add_header" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, ModuleBuffer, byte>)&AddHeader,
        "envoy_dynamic_module_callback_http_get_body_size" => 0, // optional: the SDK sums chunk lengths instead
        "envoy_dynamic_module_callback_http_get_body_chunks_size" => (nint)(delegate* unmanaged<nint, int, nuint>)&ChunksSize,
        "envoy_dynamic_module_callback_http_get_body_chunks" => (nint)(delegate* unmanaged<nint, int, EnvoyBuffer*, byte>)&Chunks,
        "envoy_dynamic_module_callback_http_append_body" => (nint)(delegate* unmanaged<nint, int, ModuleBuffer, byte>)&Append,
        "envoy_dynamic_module_callback_http_drain_body" => (nint)(delegate* unmanaged<nint, int, nuint, byte>)&Drain,
        _ => FakeEnvoy.Lookup(name),
    };

    private static nint Copy(byte* source, int length)
    {
        var p = (nint)NativeMemory.Alloc((nuint)Math.Max(length, 1));
        new ReadOnlySpan<byte>(source, length).CopyTo(new Span<byte>((void*)p, length));
        s_allocations.Add(p);
        return p;
    }

    private static bool KeyIs(int index, ModuleBuffer key) =>
        new ReadOnlySpan<byte>((void*)s_headers[index].Key, s_headers[index].KeyLength)
            .SequenceEqual(new ReadOnlySpan<byte>(key.Ptr, (int)key.Length));

    [UnmanagedCallersOnly]
    private static byte GetHeader(nint envoy, int type, ModuleBuffer key, EnvoyBuffer* result, nuint index, nuint* size)
    {
        nuint seen = 0;
        *result = default;
        for (var i = 0; i < s_headers.Count; i++)
        {
            if (KeyIs(i, key))
            {
                if (seen == index)
                {
                    *result = new EnvoyBuffer { Ptr = (byte*)s_headers[i].Value, Length = (nuint)s_headers[i].ValueLength };
                }
                seen++;
            }
        }
        if (size != null)
        {
            *size = seen;
        }
        return index < seen ? (byte)1 : (byte)0;
    }

    [UnmanagedCallersOnly]
    private static nuint GetHeadersSize(nint envoy, int type) => (nuint)s_headers.Count;

    [UnmanagedCallersOnly]
    private static byte GetHeaders(nint envoy, int type, EnvoyHttpHeader* result)
    {
        for (var i = 0; i < s_headers.Count; i++)
        {
            result[i] = new EnvoyHttpHeader
            {
                KeyPtr = (byte*)s_headers[i].Key,
                KeyLength = (nuint)s_headers[i].KeyLength,
                ValuePtr = (byte*)s_headers[i].Value,
                ValueLength = (nuint)s_headers[i].ValueLength,
            };
        }
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte SetHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value)
    {
        SetCalls++;
        s_headers.RemoveAll(h => new ReadOnlySpan<byte>((void*)h.Key, h.KeyLength).SequenceEqual(new ReadOnlySpan<byte>(key.Ptr, (int)key.Length)));
        if (value.Ptr != null)
        {
            s_headers.Add((Copy(key.Ptr, (int)key.Length), (int)key.Length, Copy(value.Ptr, (int)value.Length), (int)value.Length));
        }
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte AddHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value)
    {
        AddCalls++;
        s_headers.Add((Copy(key.Ptr, (int)key.Length), (int)key.Length, Copy(value.Ptr, (int)value.Length), (int)value.Length));
        return 1;
    }

    private static void UnpinBody()
    {
        foreach (var pin in s_bodyPins)
        {
            pin.Free();
        }
        s_bodyPins = [];
    }

    [UnmanagedCallersOnly]
    private static nuint ChunksSize(nint envoy, int type) => (nuint)s_body.Count;

    [UnmanagedCallersOnly]
    private static byte Chunks(nint envoy, int type, EnvoyBuffer* result)
    {
        UnpinBody();
        s_bodyPins = [.. s_body.Select(b => GCHandle.Alloc(b, GCHandleType.Pinned))];
        for (var i = 0; i < s_body.Count; i++)
        {
            result[i] = new EnvoyBuffer { Ptr = (byte*)s_bodyPins[i].AddrOfPinnedObject(), Length = (nuint)s_body[i].Length };
        }
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte Append(nint envoy, int type, ModuleBuffer data)
    {
        s_body.Add(new ReadOnlySpan<byte>(data.Ptr, (int)data.Length).ToArray());
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte Drain(nint envoy, int type, nuint count)
    {
        var left = (int)count;
        while (left > 0 && s_body.Count > 0)
        {
            if (s_body[0].Length <= left)
            {
                left -= s_body[0].Length;
                s_body.RemoveAt(0);
            }
            else
            {
                s_body[0] = s_body[0][left..];
                left = 0;
            }
        }
        return 1;
    }
}
