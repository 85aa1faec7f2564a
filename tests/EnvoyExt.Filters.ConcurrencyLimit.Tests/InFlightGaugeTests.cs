namespace EnvoyExt.Filters.ConcurrencyLimit.Tests;

/// <summary>The in-flight gauge's publishing rule, and its settling when workers change the count at once.</summary>
public sealed class InFlightGaugeTests
{
    [Theory]
    [InlineData(1, 0, 100, false)]      // 0 -> 1: within the band of 2
    [InlineData(2, 0, 100, true)]
    [InlineData(0, 1, 100, true)]       // back to zero: always exact
    [InlineData(0, 0, 100, false)]
    [InlineData(5, 4, 5, true)]         // at the limit: always exact
    [InlineData(47, 48, 100, false)]
    [InlineData(45, 48, 100, true)]      // band of 48 is 3
    [InlineData(1060, 1000, 2000, false)] // band of 1000 is 62
    [InlineData(1062, 1000, 2000, true)]
    public void A_publication_is_due_at_zero_at_the_limit_and_outside_the_band(int count, int published, int limit, bool due) =>
        Assert.Equal(due, InFlightGauge.IsDue(count, published, limit));

    [Fact]
    public void Workers_changing_the_count_at_once_leave_the_gauge_within_the_band_and_exact_at_zero()
    {
        const int Workers = 4;
        const int Held = 50;
        var gauge = new InFlightGauge();
        var tally = new Tally();
        int inFlight = 0;
        using var settled = new Barrier(Workers + 1);

        var threads = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
        {
            var random = new Random(w);
            int mine = 0;
            void Change(int delta)
            {
                Interlocked.Add(ref inFlight, delta);
                mine += delta;
                gauge.Publish(in tally, ref inFlight, int.MaxValue);
            }
            for (int round = 0; round < 2; round++)
            {
                for (int i = 0; i < 100_000; i++)
                {
                    Change(mine > 0 && random.Next(2) == 0 ? -1 : 1);
                    if (mine > 2 * Held)
                    {
                        Change(-1);
                    }
                }
                while (mine != (round == 0 ? Held : 0))
                {
                    Change(mine > Held || round == 1 ? -1 : 1);
                }
                settled.SignalAndWait();    // the test reads the gauge at rest
                settled.SignalAndWait();
            }
        })).ToList();
        threads.ForEach(t => t.Start());

        settled.SignalAndWait();
        long underLoad = tally.Value;
        settled.SignalAndWait();
        settled.SignalAndWait();
        long atRest = tally.Value;
        settled.SignalAndWait();
        threads.ForEach(t => t.Join());

        Assert.Equal(0, inFlight);
        Assert.True(Math.Abs((Workers * Held) - underLoad) < InFlightGauge.Band((int)underLoad), $"{Workers * Held} held, the gauge reads {underLoad}");
        Assert.Equal(0, atRest);
        Assert.True(tally.Lowest >= 0, $"the gauge dipped to {tally.Lowest}");
        Assert.True(tally.Changes < 4 * 200_000 / 10, $"{tally.Changes} changes sent to the gauge");
    }

    // Publications are serialized by the gauge, so plain fields suffice; the barrier publishes them to the test.
    private sealed class Tally : IGaugeDeltas
    {
        public long Value { get; private set; }

        public long Lowest { get; private set; }

        public int Changes { get; private set; }

        public void Increase(ulong amount) => Apply((long)amount);

        public void Decrease(ulong amount) => Apply(-(long)amount);

        private void Apply(long delta)
        {
            Value += delta;
            Lowest = Math.Min(Lowest, Value);
            Changes++;
        }
    }
}
