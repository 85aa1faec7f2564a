using System.Runtime.InteropServices;

namespace EnvoyExt.DynamicModules.Abi;

// Layouts of the v1.40 ABI's buffer and header structs. They cross the boundary by value under the
// SysV ABI, so field order and sizes must match the C declarations exactly (16 and 32 bytes).

/// <summary><c>envoy_dynamic_module_type_envoy_buffer</c>: bytes owned by Envoy, valid only during the hook.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EnvoyBuffer
{
    public byte* Ptr;
    public nuint Length;

    public readonly ReadOnlySpan<byte> AsSpan() =>
        Ptr == null ? default : new ReadOnlySpan<byte>(Ptr, checked((int)Length));
}

/// <summary><c>envoy_dynamic_module_type_module_buffer</c>: bytes owned by the module, read by Envoy during the call.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ModuleBuffer
{
    public byte* Ptr;
    public nuint Length;

    public ModuleBuffer(byte* ptr, int length)
    {
        Ptr = ptr;
        Length = (nuint)length;
    }
}

/// <summary><c>envoy_dynamic_module_type_envoy_http_header</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EnvoyHttpHeader
{
    public byte* KeyPtr;
    public nuint KeyLength;
    public byte* ValuePtr;
    public nuint ValueLength;

    public readonly ReadOnlySpan<byte> Key =>
        KeyPtr == null ? default : new ReadOnlySpan<byte>(KeyPtr, checked((int)KeyLength));

    public readonly ReadOnlySpan<byte> Value =>
        ValuePtr == null ? default : new ReadOnlySpan<byte>(ValuePtr, checked((int)ValueLength));
}

/// <summary><c>envoy_dynamic_module_type_module_http_header</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ModuleHttpHeader
{
    public byte* KeyPtr;
    public nuint KeyLength;
    public byte* ValuePtr;
    public nuint ValueLength;
}
