using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Label values fixed at config time (e.g. a policy's and a rule's name), laid out once the way Envoy reads
/// them, so recording with them hands Envoy a ready array: no per-request label buffers, no pinning. Create
/// one per label combination at config time and pass it to <see cref="StreamMetrics"/>.
/// </summary>
public sealed unsafe class MetricLabels
{
    // Both arrays live on the pinned object heap, so the pointers below stay valid for the object's life.
    private readonly byte[] _values;
    private readonly ModuleBuffer[] _buffers;

    /// <summary>One label value (UTF-8).</summary>
    /// <param name="label0">Label value 0, in the order of the metric's definition.</param>
    public MetricLabels(ReadOnlySpan<byte> label0)
        : this(1, label0, default, default)
    {
    }

    /// <summary>Two label values (UTF-8).</summary>
    /// <param name="label0">Label value 0, in the order of the metric's definition.</param>
    /// <param name="label1">Label value 1.</param>
    public MetricLabels(ReadOnlySpan<byte> label0, ReadOnlySpan<byte> label1)
        : this(2, label0, label1, default)
    {
    }

    /// <summary>Three label values (UTF-8).</summary>
    /// <param name="label0">Label value 0, in the order of the metric's definition.</param>
    /// <param name="label1">Label value 1.</param>
    /// <param name="label2">Label value 2.</param>
    public MetricLabels(ReadOnlySpan<byte> label0, ReadOnlySpan<byte> label1, ReadOnlySpan<byte> label2)
        : this(3, label0, label1, label2)
    {
    }

    private MetricLabels(int count, ReadOnlySpan<byte> label0, ReadOnlySpan<byte> label1, ReadOnlySpan<byte> label2)
    {
        Count = count;
        _values = GC.AllocateArray<byte>(Math.Max(label0.Length + label1.Length + label2.Length, 1), pinned: true);
        _buffers = GC.AllocateArray<ModuleBuffer>(count, pinned: true);
        byte* values = (byte*)Unsafe.AsPointer(ref _values[0]);
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            var label = i switch { 0 => label0, 1 => label1, _ => label2 };
            label.CopyTo(_values.AsSpan(offset));
            _buffers[i] = new ModuleBuffer(values + offset, label.Length);
            offset += label.Length;
        }
        Buffers = (ModuleBuffer*)Unsafe.AsPointer(ref _buffers[0]);
    }

    /// <summary>How many label values this holds.</summary>
    public int Count { get; }

    /// <summary>The array Envoy reads (pinned).</summary>
    internal ModuleBuffer* Buffers { get; }
}
