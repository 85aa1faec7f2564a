using EnvoyExt.Filters.BandwidthLimit.Config;

namespace EnvoyExt.Filters.BandwidthLimit.Tests;

/// <summary>The contract: valid documents round-trip, invalid ones give an error naming the field.</summary>
public sealed class ConfigTests
{
    [Theory]
    [InlineData("""{}""", "limitKiBps: required")]
    [InlineData("""{"limitKiBps":0}""", "limitKiBps: must be between 1 and 10485760 (got 0)")]
    [InlineData("""{"limitKiBps":"5"}""", "limitKiBps: wrong JSON type, expected an integer")]
    [InlineData("""{"limitKiBps":5,"direction":"up"}""", "direction: must be request, response or both (got 'up')")]
    [InlineData("""{"limitKiBps":5,"fillIntervalMs":10}""", "fillIntervalMs: must be between 20 and 1000 (got 10)")]
    [InlineData("""{"limitKiBps":5,"direction":"request","responseTrailers":{}}""", "responseTrailers: needs direction response or both (the trailers go on throttled responses)")]
    [InlineData("""{"limitKiBps":5,"responseTrailers":{"prefix":"X-BW"}}""", "responseTrailers.prefix: must be 1 to 64 lower-case letters, digits or dashes (got 'X-BW')")]
    [InlineData("""{"limitKiBps":5,"responseTrailers":{"prefix":""}}""", "responseTrailers.prefix: must be 1 to 64 lower-case letters, digits or dashes (got '')")]
    [InlineData("""{"limitKiBps":5,"responseTrailers":{"suffix":"x"}}""", "responseTrailers.suffix: unknown field")]
    [InlineData("""{"limitKiBps":5,"fillIntervalMs":1001}""", "fillIntervalMs: must be between 20 and 1000 (got 1001)")]
    [InlineData("""{"limitKiBps":5,"extra":1}""", "extra: unknown field")]
    [InlineData("""{"name":"","limitKiBps":5}""", "name: must be 1 to 128 characters (got 0)")]
    [InlineData("""null""", "config: must be a JSON object (got null)")]
    public void Invalid_documents_name_the_field(string json, string expected)
    {
        Assert.False(BandwidthLimitConfigJson.TryParse(json, out var config, out var error));
        Assert.Null(config);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_valid_document_round_trips()
    {
        const string Json = """{"name":"uploads","limitKiBps":512,"direction":"request","fillIntervalMs":20}""";
        Assert.True(BandwidthLimitConfigJson.TryParse(Json, out var config, out var error), error);
        Assert.Equal(Json, BandwidthLimitConfigJson.Serialize(config!));
    }
}
