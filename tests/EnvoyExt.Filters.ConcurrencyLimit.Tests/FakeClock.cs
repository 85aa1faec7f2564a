namespace EnvoyExt.Filters.ConcurrencyLimit.Tests;

/// <summary>A monotonic clock that moves only when told to, in microsecond ticks.</summary>
internal sealed class FakeClock : TimeProvider
{
    private long _micros = 1_000_000;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => _micros;

    public void Advance(TimeSpan by) => _micros += (long)(by.TotalMilliseconds * 1000);
}
