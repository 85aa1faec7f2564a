using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Buckets;

/// <summary>Charges made after the response: local buckets run dry for the rest of the window; global ones spend leased tokens, then owe.</summary>
public sealed class ChargeAfterTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void A_local_charge_after_takes_tokens_that_later_requests_would_have_had()
    {
        var bucket = new TokenBucket(10, 60 * Second, 0);
        Assert.True(bucket.TryCharge(1, Second).Allowed);

        bucket.ChargeAfter(6, 2 * Second);

        Assert.Equal(3u, bucket.Peek(2 * Second));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryCharge(1, 3 * Second).Allowed));
    }

    [Fact]
    public void A_local_debt_refuses_until_the_window_ends_and_the_next_window_starts_full()
    {
        var bucket = new TokenBucket(10, 60 * Second, 0);

        bucket.ChargeAfter(1_000, Second);

        Assert.False(bucket.TryCharge(0, 59 * Second).Allowed);
        Assert.Equal(10, Enumerable.Range(0, 20).Count(_ => bucket.TryCharge(1, 60 * Second).Allowed));
    }

    [Fact]
    public void A_charge_after_its_window_ended_lands_in_the_current_window()
    {
        var bucket = new TokenBucket(10, 60 * Second, 0);
        Assert.True(bucket.TryCharge(1, Second).Allowed);

        bucket.ChargeAfter(4, 61 * Second);

        Assert.Equal(6u, bucket.Peek(61 * Second));
    }

    [Fact]
    public void A_distinct_entry_given_to_another_value_is_not_charged()
    {
        var table = new DistinctBucketTable(1, 10, 60 * Second);
        table.Charge("alice"u8, 1, Second, out _);
        var alice = table.Lookup("alice"u8, DistinctBucketTable.Hash("alice"u8));
        // The one-entry table hands alice's entry to bob.
        table.Charge("bob"u8, 1, Second, out bool evicted);
        Assert.True(evicted);

        DistinctBucketTable.ChargeAfter(alice, 5, 2 * Second);

        Assert.Equal(9u, table.Charge("bob"u8, 0, 2 * Second, out _).Remaining);
    }

    [Fact]
    public void A_global_charge_after_spends_leased_tokens_first_then_owes_the_rest_for_that_window()
    {
        var rule = new GlobalRule("p", "r", 100, 60 * Second, 10, false, new FakeClock());
        var bucket = rule.Shared;
        bucket.Publish(window: 7, tokens: 5, exhausted: false);

        bucket.ChargeAfter(3, window: 7);
        Assert.Equal(0L, bucket.DebtOf(7));
        Assert.Equal(GlobalChargeKind.Allowed, bucket.TryCharge(2, 7).Kind);

        bucket.ChargeAfter(4, window: 7);
        Assert.Equal(4L, bucket.DebtOf(7));
        Assert.Equal(GlobalChargeKind.NeedLease, bucket.TryCharge(1, 7).Kind);

        // Debt is per window: the next window owes nothing, and a debt never exceeds one window's limit.
        Assert.Equal(0L, bucket.DebtOf(8));
        bucket.ChargeAfter(1_000, window: 7);
        Assert.Equal(100L, bucket.DebtOf(7));
    }
}
