namespace EnvoyExt.DynamicModules.Abi;

/// <summary>The ABI version string of the Envoy v1.40 header (<c>ENVOY_DYNAMIC_MODULES_ABI_VERSION</c>).</summary>
internal static unsafe class AbiVersion
{
    /// <summary>"v0.2.0" plus NUL. A u8 literal lives in the image's read-only data, so the pointer
    /// returned from program init stays valid forever (Envoy copies it anyway from 1.40).</summary>
    public static ReadOnlySpan<byte> Utf8WithNul => "v0.2.0\0"u8;

    public const string Text = "v0.2.0";

    public static byte* Pointer
    {
        get
        {
            fixed (byte* p = Utf8WithNul)
            {
                // The literal is in static data and never moves; returning its address is safe.
                return p;
            }
        }
    }
}
