using EnvoyExt.Filters.ConcurrencyLimit.Config;

namespace EnvoyExt.Filters.ConcurrencyLimit.Tests;

/// <summary>The contract: valid documents round-trip, invalid ones give an error naming the field.</summary>
public sealed class ConfigTests
{
    [Theory]
    [InlineData("""{}""", "maxConcurrentRequests: required")]
    [InlineData("""{"maxConcurrentRequests":0}""", "maxConcurrentRequests: must be between 1 and 1000000 (got 0)")]
    [InlineData("""{"maxConcurrentRequests":"5"}""", "maxConcurrentRequests: wrong JSON type, expected an integer")]
    [InlineData("""{"maxConcurrentRequests":5,"extra":1}""", "extra: unknown field")]
    [InlineData("""{"maxConcurrentRequests":5,"queue":{"maxWaitMs":10}}""", "queue.maxSize: required")]
    [InlineData("""{"maxConcurrentRequests":5,"queue":{"maxSize":200000,"maxWaitMs":10}}""", "queue.maxSize: must be between 1 and 100000 (got 200000)")]
    [InlineData("""{"maxConcurrentRequests":5,"queue":{"maxSize":2,"maxWaitMs":0}}""", "queue.maxWaitMs: must be between 1 and 60000 (got 0)")]
    [InlineData("""{"maxConcurrentRequests":5,"queue":{"maxSize":2}}""", "queue.maxWaitMs: required")]
    [InlineData("""{"maxConcurrentRequests":5,"queue":{"maxSize":2,"maxWaitMs":5,"x":1}}""", "queue.x: unknown field")]
    [InlineData("""{"name":"a b","maxConcurrentRequests":5}""", "name: must be printable ASCII without spaces")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"minConcurrency":6}}""", "adaptive.minConcurrency: must be between 1 and 5 (got 6)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"sampleWindowMs":5}}""", "adaptive.sampleWindowMs: must be between 10 and 60000 (got 5)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"percentile":0}}""", "adaptive.percentile: must be between 1 and 100 (got 0)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"bufferPercent":101}}""", "adaptive.bufferPercent: must be between 0 and 100 (got 101)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"minRttIntervalMs":999}}""", "adaptive.minRttIntervalMs: must be between 1000 and 3600000 (got 999)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"minRttJitterPercent":-1}}""", "adaptive.minRttJitterPercent: must be between 0 and 100 (got -1)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"minRttRequests":10001}}""", "adaptive.minRttRequests: must be between 1 and 10000 (got 10001)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"samplesPerWindow":9}}""", "adaptive.samplesPerWindow: must be between 10 and 1000000 (got 9)")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":{"gradient":1}}""", "adaptive.gradient: unknown field")]
    [InlineData("""{"maxConcurrentRequests":5,"adaptive":[]}""", "adaptive: wrong JSON type, expected an object")]
    [InlineData("""null""", "config: must be a JSON object (got null)")]
    public void Invalid_documents_name_the_field(string json, string expected)
    {
        Assert.False(ConcurrencyLimitConfigJson.TryParse(json, out var config, out var error));
        Assert.Null(config);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_valid_document_round_trips()
    {
        const string Json = """{"name":"api","maxConcurrentRequests":10,"queue":{"maxSize":5,"maxWaitMs":250}}""";
        Assert.True(ConcurrencyLimitConfigJson.TryParse(Json, out var config, out var error), error);
        Assert.Equal(Json, ConcurrencyLimitConfigJson.Serialize(config!));
    }

    [Fact]
    public void An_adaptive_document_round_trips_and_an_empty_adaptive_section_takes_the_defaults()
    {
        const string Json = """{"maxConcurrentRequests":100,"adaptive":{"minConcurrency":2,"sampleWindowMs":200,"percentile":50,"bufferPercent":10,"minRttIntervalMs":30000,"minRttJitterPercent":0,"minRttRequests":25,"samplesPerWindow":500}}""";
        Assert.True(ConcurrencyLimitConfigJson.TryParse(Json, out var config, out var error), error);
        Assert.Equal(Json, ConcurrencyLimitConfigJson.Serialize(config!));

        Assert.True(ConcurrencyLimitConfigJson.TryParse("""{"maxConcurrentRequests":2,"adaptive":{}}""", out var defaults, out error), error);
        var limiter = new ConcurrencyLimiter(defaults!, TimeProvider.System, new Random(1));
        Assert.Equal(2, limiter.Adaptive!.MinLimit);      // the default minimum (3) never exceeds the maximum
        Assert.Equal(2, limiter.Limit);
    }
}
