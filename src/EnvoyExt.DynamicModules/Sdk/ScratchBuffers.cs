using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Per-thread arrays that receive Envoy's header and body-slice views, reused across streams so reading
/// all headers allocates nothing after warm-up. One enumeration per thread at a time: a nested
/// enumeration on the same worker overwrites the outer one's views.
/// </summary>
internal static class ScratchBuffers
{
    [ThreadStatic] private static EnvoyHttpHeader[]? t_headers;
    [ThreadStatic] private static EnvoyBuffer[]? t_chunks;

    public static EnvoyHttpHeader[] Headers(int count)
    {
        var array = t_headers;
        if (array is null || array.Length < count)
        {
            array = t_headers = new EnvoyHttpHeader[Math.Max(32, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count))];
        }
        return array;
    }

    public static EnvoyBuffer[] Chunks(int count)
    {
        var array = t_chunks;
        if (array is null || array.Length < count)
        {
            array = t_chunks = new EnvoyBuffer[Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count))];
        }
        return array;
    }
}
