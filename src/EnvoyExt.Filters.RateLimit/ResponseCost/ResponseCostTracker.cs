using System.Buffers;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.ResponseCost;

/// <summary>
/// Per pooled filter object (so per worker, one stream at a time), made the first time it serves a policy with
/// response costs: the pending charges and the body prefix kept to read a cost field. The stream state's count
/// says how many pending entries belong to the current stream; the body buffer is rented for one response and
/// returned when it is read.
/// </summary>
internal sealed class ResponseCostTracker
{
    public readonly PendingCharge[] Pending = new PendingCharge[RateLimitFilterContract.MaxResponseCostRules];

    private byte[]? _body;
    private int _length;
    private int _limit;

    /// <summary>Whether more body arrived than was kept (the field is looked for in the prefix only).</summary>
    public bool Truncated { get; private set; }

    public ReadOnlySpan<byte> Body => _body.AsSpan(0, _length);

    public void StartBody(int maxBytes)
    {
        ReleaseBody();
        _limit = maxBytes;
        _body = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes, 4096));
    }

    /// <summary>Keeps what fits of <paramref name="frame"/>; the buffer grows (pooled) up to the limit.</summary>
    public void Append(ReadOnlySpan<byte> frame)
    {
        if (_body is null)
        {
            return;
        }
        int room = _limit - _length;
        if (frame.Length > room)
        {
            Truncated = true;
            frame = frame[..room];
        }
        if (frame.IsEmpty)
        {
            return;
        }
        if (_length + frame.Length > _body.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_limit, Math.Max(_body.Length * 2, _length + frame.Length)));
            _body.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_body);
            _body = bigger;
        }
        frame.CopyTo(_body.AsSpan(_length));
        _length += frame.Length;
    }

    public void ReleaseBody()
    {
        if (_body is not null)
        {
            ArrayPool<byte>.Shared.Return(_body);
            _body = null;
        }
        _length = 0;
        Truncated = false;
    }

    /// <summary>Drops the previous stream's references (rules and buckets of a config that may be gone).</summary>
    public void Clear()
    {
        ReleaseBody();
        Array.Clear(Pending);
    }
}
