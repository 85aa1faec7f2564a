using System.Runtime.CompilerServices;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>
/// Publishes a limiter's in-flight count to its gauge without a call into Envoy on every admission and
/// release. The gauge is brought to the shared counter's value when the count has moved far enough from
/// the value published last (g): to zero (so an idle limit reads exactly 0), to the limit (so a saturated
/// limit reads exactly the limit), or by <see cref="Band"/>(g) = max(2, g/16) or more. In between the
/// gauge is off by less than the band: at most 1 request while it reads under 48, under 1/16 above. A
/// request that is admitted and completes alone (0 → 1 → 0) never calls Envoy.
/// </summary>
/// <remarks>
/// The gauge moves by the difference between the count and the value published last (not set to the
/// count), so limiters that share a name add up in one gauge.
/// Any worker may publish; one at a time per limiter (a flag taken by compare-and-swap, never waited
/// for), so the differences of one limiter reach Envoy in order and the gauge never dips below zero. A
/// worker that finds the flag taken leaves the publishing to the holder, which reads the counter again
/// after releasing the flag and publishes again if it moved too far meanwhile: every change to the
/// counter is a locked operation ordered with that release, so the last change is always seen by the
/// last publisher and the gauge settles within the band.
/// </remarks>
internal sealed class InFlightGauge
{
    private int _published;
    private int _publishing;

    /// <summary>The value the gauge was set to last.</summary>
    public int Published => Volatile.Read(ref _published);

    /// <summary>How far the count may move from the published value <paramref name="published"/> before the gauge is set again.</summary>
    public static int Band(int published) => Math.Max(2, published >> 4);

    /// <summary>Whether the gauge must be brought to <paramref name="count"/> now (the cheap check before <see cref="Publish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDue(int count, int limit) => IsDue(count, Volatile.Read(ref _published), limit);

    /// <summary>Whether the gauge, brought to <paramref name="published"/> last, must be brought to <paramref name="count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDue(int count, int published, int limit) =>
        count != published && (count == 0 || count == limit || Math.Abs(count - published) >= Band(published));

    /// <summary>Brings the gauge to <paramref name="inFlight"/> when it is due (see the class summary).</summary>
    public void Publish<TGauge>(in TGauge gauge, ref int inFlight, int limit)
        where TGauge : IGaugeDeltas, allows ref struct
    {
        while (IsDue(Volatile.Read(ref inFlight), Volatile.Read(ref _published), limit) &&
               Interlocked.CompareExchange(ref _publishing, 1, 0) == 0)
        {
            int count = Volatile.Read(ref inFlight);
            int published = _published;
            if (count > published)
            {
                gauge.Increase((ulong)(count - published));
            }
            else if (count < published)
            {
                gauge.Decrease((ulong)(published - count));
            }
            Volatile.Write(ref _published, count);
            // A full fence: the loop's next read of the counter sees every change made before another
            // worker failed to take the flag.
            Interlocked.Exchange(ref _publishing, 0);
        }
    }
}
