using EnvoyExt.Filters.RateLimit.Matching;
using EnvoyExt.Filters.RateLimit.Policy;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Matching;

public class HeaderCacheTests
{
    private readonly FakeClock _clock = new();

    [Fact]
    public void ASlottedHeaderIsReadOncePerDecisionHoweverManyConditionsReadIt()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"per-user","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],"limit":{"requests":100,"unit":"Minute"}},
              {"name":"admins","clientSelectors":[{"headers":[{"name":"X-User","type":"Exact","value":"root"}]},
                                                  {"headers":[{"name":"x-user","type":"RegularExpression","value":"admin-.*"}]}],"limit":{"requests":100,"unit":"Hour"}},
              {"name":"mobile","clientSelectors":[{"headers":[{"name":"x-client","type":"Exact","value":"ios"}]}],"limit":{"requests":100,"unit":"Day"}}
            ]}
            """, _clock);
        var request = new CountingRequest(new FakeRequest().WithHeader("x-user", "admin-7").WithHeader("x-client", "ios"));
        var results = new RuleResult[policy.Rules.Length];
        policy.Decide(in request, results);
        Assert.All(results, r => Assert.Equal(RuleOutcome.Allowed, r.Outcome));
        Assert.Equal(1, request.Reads("x-user", 0));
        Assert.Equal(1, request.Reads("x-client", 0));
        // Exact "root" did not match the only value, so the second value was asked for (not cached).
        Assert.Equal(1, request.Reads("x-user", 1));
        // The next decision reads again: the cache lives for one request.
        policy.Decide(in request, results);
        Assert.Equal(2, request.Reads("x-user", 0));
    }

    [Fact]
    public void AnAbsentHeaderIsRememberedAsAbsent()
    {
        var request = new CountingRequest(new FakeRequest());
        var cache = default(HeaderCache);
        Assert.False(cache.TryGet(in request, 2, "x-missing"u8, 0, out _));
        Assert.False(cache.TryGet(in request, 2, "x-missing"u8, 0, out var again));
        Assert.True(again.IsEmpty);
        Assert.Equal(1, request.Reads("x-missing", 0));
    }

    [Fact]
    public void SlotsKeepTheirOwnValuesAndUnslottedNamesAreNotCached()
    {
        var request = new CountingRequest(new FakeRequest().WithHeader("a", "1").WithHeader("b", "22").WithHeader("c", "333").WithHeader("d", "4444"));
        var cache = default(HeaderCache);
        string[] names = ["a", "b", "c", "d"];
        for (int round = 0; round < 2; round++)
        {
            for (int slot = 0; slot < HeaderCache.Slots; slot++)
            {
                Assert.True(cache.TryGet(in request, slot, System.Text.Encoding.ASCII.GetBytes(names[slot]), 0, out var value));
                Assert.Equal(slot + 1, value.Length);
            }
            Assert.True(cache.TryGet(in request, -1, "a"u8, 0, out _));
        }
        Assert.All(names[1..], n => Assert.Equal(1, request.Reads(n, 0)));
        Assert.Equal(3, request.Reads("a", 0)); // one through slot 0, then every unslotted read
    }

    [Fact]
    public void OnlyNamesReadBySeveralConditionsGetSlotsAndAtMostFour()
    {
        // Six names read by two conditions each (one rule per name), and one name read once.
        var rules = Enumerable.Range(0, 6)
            .Select(i => $$$"""{"clientSelectors":[{"headers":[{"name":"h{{{i}}}","type":"Exact","value":"x"}]},{"headers":[{"name":"h{{{i}}}","type":"Exact","value":"y"}]}],"limit":{"requests":1,"unit":"Hour"}}""")
            .Append("""{"clientSelectors":[{"headers":[{"name":"solo","type":"Exact","value":"x"}]}],"limit":{"requests":1,"unit":"Hour"}}""");
        var policy = Policies.Compile("""{"rules":[""" + string.Join(",", rules) + "]}", _clock);
        var conditions = policy.Rules.SelectMany(r => r.Selectors).SelectMany(s => s.Headers).ToList();
        Assert.Equal(-1, conditions.Single(c => c.LowerCaseName.AsSpan().SequenceEqual("solo"u8)).CacheSlot);
        var slotted = conditions.Where(c => c.CacheSlot >= 0).ToList();
        Assert.Equal(8, slotted.Count);
        Assert.Equal([0, 1, 2, 3], slotted.Select(c => c.CacheSlot).Distinct().Order());
        // Both conditions of one name share its slot.
        Assert.All(slotted.GroupBy(c => c.CacheSlot), g => Assert.Single(g.Select(c => Convert.ToHexString(c.LowerCaseName)).Distinct()));
    }

    /// <summary>Counts reads per (name, index) on the way to a <see cref="FakeRequest"/>.</summary>
    private sealed class CountingRequest(FakeRequest inner) : IRequestView
    {
        private readonly Dictionary<(string, int), int> _reads = [];

        public ReadOnlySpan<byte> Method => inner.Method;

        public ReadOnlySpan<byte> PathAndQuery => inner.PathAndQuery;

        public ReadOnlySpan<byte> SourceAddress => inner.SourceAddress;

        public int Reads(string name, int index) => _reads.GetValueOrDefault((name, index));

        public bool TryGetHeader(ReadOnlySpan<byte> lowerCaseName, int index, out ReadOnlySpan<byte> value)
        {
            var key = (System.Text.Encoding.ASCII.GetString(lowerCaseName), index);
            _reads[key] = _reads.GetValueOrDefault(key) + 1;
            return inner.TryGetHeader(lowerCaseName, index, out value);
        }
    }
}
