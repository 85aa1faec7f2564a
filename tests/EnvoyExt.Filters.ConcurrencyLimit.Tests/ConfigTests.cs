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
}
