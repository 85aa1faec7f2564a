using System.Buffers.Text;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Fault.Config;
using EnvoyExt.Filters.Timing;

namespace EnvoyExt.Filters.Fault;

/// <summary>
/// One fault configuration (a listener's or a route's), compiled and shared by every worker: which
/// requests are candidates, the delay and abort with their shares in parts per million, the cap on active
/// faults (one atomic counter) and the delay timer.
/// </summary>
internal sealed class FaultRule : IDisposable
{
    private static readonly byte[] ContentType = "content-type"u8.ToArray();
    private static readonly byte[] GrpcContentType = "application/grpc"u8.ToArray();
    private static readonly byte[] AbortHeader = Encoding.ASCII.GetBytes(FaultFilterContract.AbortHeader);
    private static readonly byte[] AbortGrpcHeader = Encoding.ASCII.GetBytes(FaultFilterContract.AbortGrpcHeader);
    private static readonly byte[] AbortPercentageHeader = Encoding.ASCII.GetBytes(FaultFilterContract.AbortPercentageHeader);
    private static readonly byte[] DelayHeader = Encoding.ASCII.GetBytes(FaultFilterContract.DelayHeader);
    private static readonly byte[] DelayPercentageHeader = Encoding.ASCII.GetBytes(FaultFilterContract.DelayPercentageHeader);

    private readonly HeaderCondition[] _conditions;
    private readonly bool _headerControl;
    private readonly int _delayMs;
    private readonly uint _delayShare;
    private readonly uint _delayUnit;
    private readonly uint _httpStatus;
    private readonly int _grpcStatus;
    private readonly uint _abortShare;
    private readonly uint _abortUnit;
    private readonly int _maxActive;
    private readonly RouteDocumentCount? _routeDocuments;
    private int _disposed;

    // Header control can only lower a configured share, so a fault configured at 0 % never reads its headers.
    private readonly bool _readsDelayHeaders;
    private readonly bool _readsAbortHeaders;

    // Whether a draw is needed at all: a configured fault, or one header control may inject.
    private readonly bool _delayPossible;
    private readonly bool _abortPossible;

    // Whether a request reads all headers in one snapshot, by which draws hit (bit 0 delay, bit 1 abort).
    private readonly bool[] _snapshotWhenHit = new bool[4];
    private int _active;

    /// <summary>A route's rule counts itself in <paramref name="routeDocuments"/> until disposed.</summary>
    public FaultRule(FaultConfig config, RouteDocumentCount? routeDocuments = null)
    {
        _routeDocuments = routeDocuments;
        routeDocuments?.Created();
        Label = Encoding.UTF8.GetBytes(config.Name ?? "default");
        _conditions = config.Headers is { } headers ? [.. headers.Select(h => new HeaderCondition(h))] : [];
        _headerControl = config.HeaderControl == true;
        _maxActive = config.MaxActiveFaults ?? FaultFilterContract.DefaultMaxActiveFaults;
        _delayMs = config.Delay?.FixedDelayMs ?? 0;
        _delayShare = config.Delay is { } delay ? FaultFractions.PartsPerMillion(delay.Percentage) : FaultFractions.Whole;
        _delayUnit = FaultFractions.UnitOf(config.Delay?.Percentage?.Denominator);
        _httpStatus = (uint)(config.Abort?.HttpStatus ?? 0);
        _grpcStatus = config.Abort?.GrpcStatus ?? -1;
        _abortShare = config.Abort is { } abort ? FaultFractions.PartsPerMillion(abort.Percentage) : FaultFractions.Whole;
        _abortUnit = FaultFractions.UnitOf(config.Abort?.Percentage?.Denominator);
        _readsDelayHeaders = _headerControl && _delayShare > 0;
        _readsAbortHeaders = _headerControl && _abortShare > 0;
        _delayPossible = _delayMs > 0 || _readsDelayHeaders;
        _abortPossible = _httpStatus != 0 || _grpcStatus >= 0 || _readsAbortHeaders;
        for (int hit = 0; hit < _snapshotWhenHit.Length; hit++)
        {
            _snapshotWhenHit[hit] = NamesRead(delayHit: (hit & 1) != 0, abortHit: (hit & 2) != 0) >= SnapshotFromReads;
        }
    }

    /// <summary>Header names read per request from which one snapshot of all headers is cheaper.</summary>
    internal const int SnapshotFromReads = 3;

    /// <summary>The metric label value (UTF-8).</summary>
    public byte[] Label { get; }

    public DelayTimer Timer { get; } = new();

    public int Active => Volatile.Read(ref _active);

    /// <summary>
    /// Decides the fault for one request; <paramref name="random"/> is the caller's per-object generator
    /// state. The draws come first, against the largest share each fault can have: header control only
    /// lowers a share, so a request whose draws miss gets no fault whatever its headers say, and reads none.
    /// </summary>
    public FaultPlan Plan(HeaderMap headers, ref ObjectRandom random)
    {
        uint delayDraw = _delayPossible ? Draw(ref random) : FaultFractions.Whole;
        uint abortDraw = _abortPossible ? Draw(ref random) : FaultFractions.Whole;
        bool delayHit = delayDraw < _delayShare;
        bool abortHit = abortDraw < _abortShare;
        if (!delayHit && !abortHit)
        {
            return default;
        }
        if (_snapshotWhenHit[(delayHit ? 1 : 0) | (abortHit ? 2 : 0)])
        {
            var snapshot = new HeadersSnapshot(headers.Snapshot());
            return Plan(in snapshot, delayHit ? delayDraw : FaultFractions.Whole, abortHit ? abortDraw : FaultFractions.Whole);
        }
        var byName = new HeadersByName(headers);
        return Plan(in byName, delayHit ? delayDraw : FaultFractions.Whole, abortHit ? abortDraw : FaultFractions.Whole);
    }

    // A draw of Whole never hits: the fault was not drawn, or cannot happen.
    private FaultPlan Plan<THeaders>(in THeaders headers, uint delayDraw, uint abortDraw)
        where THeaders : IRequestHeaderSource, allows ref struct
    {
        int delayMs = 0;
        if (delayDraw < FaultFractions.Whole)
        {
            delayMs = _delayMs;
            uint delayShare = _delayShare;
            if (_readsDelayHeaders && TryReadNumber(in headers, DelayHeader, 1, FaultFilterContract.MaxDelayMs, out uint ms))
            {
                delayMs = (int)ms;
            }
            if (delayMs > 0 && _readsDelayHeaders && TryReadNumber(in headers, DelayPercentageHeader, 0, int.MaxValue, out uint delayNumerator))
            {
                delayShare = Math.Min(delayShare, Share(delayNumerator, _delayUnit));
            }
            if (delayDraw >= delayShare)
            {
                delayMs = 0;
            }
        }
        bool abort = false;
        bool grpcAbort = false;
        uint httpStatus = _httpStatus;
        int grpcStatus = _grpcStatus;
        if (abortDraw < FaultFractions.Whole)
        {
            uint abortShare = _abortShare;
            if (_readsAbortHeaders)
            {
                if (TryReadNumber(in headers, AbortHeader, 200, 599, out uint status))
                {
                    httpStatus = status;
                }
                if (TryReadNumber(in headers, AbortGrpcHeader, 0, 16, out uint grpc))
                {
                    grpcStatus = (int)grpc;
                }
            }
            // Only a request that could get a gRPC abort needs its content type.
            grpcAbort = grpcStatus >= 0 && headers.TryGet(ContentType, out var contentType) && contentType.StartsWith(GrpcContentType);
            if ((grpcAbort || httpStatus != 0) && _readsAbortHeaders &&
                TryReadNumber(in headers, AbortPercentageHeader, 0, int.MaxValue, out uint abortNumerator))
            {
                abortShare = Math.Min(abortShare, Share(abortNumerator, _abortUnit));
            }
            abort = (grpcAbort || httpStatus != 0) && abortDraw < abortShare;
        }
        if (delayMs == 0 && !abort)
        {
            return default;
        }
        foreach (var condition in _conditions)
        {
            if (!condition.Matches(in headers))
            {
                return default;
            }
        }
        return new FaultPlan(delayMs, abort, abort && grpcAbort, abort && grpcAbort ? (uint)grpcStatus : httpStatus);
    }

    // Names a request reads at least when these draws hit (the conditions only once a fault is certain
    // without headers), for choosing between lookups by name and one snapshot.
    private int NamesRead(bool delayHit, bool abortHit)
    {
        bool configuredFault = (delayHit && _delayMs > 0) || (abortHit && (_httpStatus != 0 || _grpcStatus >= 0));
        return (delayHit && _readsDelayHeaders ? (_delayMs > 0 ? 2 : 1) : 0) +
            (abortHit && _readsAbortHeaders ? 3 : 0) +
            (abortHit && _grpcStatus >= 0 ? 1 : 0) +
            (configuredFault ? _conditions.Length : 0);
    }

    /// <summary>Counts a fault in, unless the cap is reached (then the request passes untouched).</summary>
    public bool TryEnter()
    {
        int current = Volatile.Read(ref _active);
        while (current < _maxActive)
        {
            int seen = Interlocked.CompareExchange(ref _active, current + 1, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _active);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Timer.Dispose();
            _routeDocuments?.Destroyed();
        }
    }

    private static uint Share(uint numerator, uint unit) => (uint)Math.Min((ulong)numerator * unit, FaultFractions.Whole);

    // The filter object's own generator, so draws share nothing between workers. A value in [0, Whole).
    private static uint Draw(ref ObjectRandom random) => random.NextUInt32() % FaultFractions.Whole;

    private static bool TryReadNumber<THeaders>(in THeaders headers, byte[] name, uint min, uint max, out uint value)
        where THeaders : IRequestHeaderSource, allows ref struct
    {
        value = 0;
        return headers.TryGet(name, out var text) && Utf8Parser.TryParse(text, out value, out int consumed) &&
            consumed == text.Length && value >= min && value <= max;
    }
}
