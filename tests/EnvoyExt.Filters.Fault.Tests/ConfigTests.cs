using EnvoyExt.Filters.Fault.Config;

namespace EnvoyExt.Filters.Fault.Tests;

/// <summary>The contract: valid documents round-trip, invalid ones give an error naming the field.</summary>
public sealed class ConfigTests
{
    [Theory]
    [InlineData("""{}""", "config: needs abort, delay or headerControl: true (otherwise the filter does nothing)")]
    [InlineData("""{"abort":{}}""", "abort: needs httpStatus, grpcStatus or both")]
    [InlineData("""{"abort":{"httpStatus":99}}""", "abort.httpStatus: must be between 200 and 599 (got 99)")]
    [InlineData("""{"abort":{"grpcStatus":17}}""", "abort.grpcStatus: must be between 0 and 16 (got 17)")]
    [InlineData("""{"abort":{"httpStatus":503,"percentage":{"numerator":5,"denominator":"thousand"}}}""", "abort.percentage.denominator: must be hundred, tenThousand or million (got 'thousand')")]
    [InlineData("""{"abort":{"httpStatus":503,"percentage":{}}}""", "abort.percentage.numerator: required")]
    [InlineData("""{"delay":{"percentage":{"numerator":-1}}}""", "delay.fixedDelayMs: required")]
    [InlineData("""{"delay":{"fixedDelayMs":60001}}""", "delay.fixedDelayMs: must be between 1 and 60000 (got 60001)")]
    [InlineData("""{"delay":{"fixedDelayMs":5,"percentage":{"numerator":-1}}}""", "delay.percentage.numerator: must not be negative (got -1)")]
    [InlineData("""{"headerControl":true,"maxActiveFaults":0}""", "maxActiveFaults: must be between 1 and 1000000 (got 0)")]
    [InlineData("""{"headerControl":true,"headers":[{"name":"x-a"}]}""", "headers[0]: needs exactly one of exact, prefix or present")]
    [InlineData("""{"headerControl":true,"headers":[{"name":"X-A","present":true}]}""", "headers[0].name: must be lower case")]
    [InlineData("""{"headerControl":true,"headers":[{"exact":"v"}]}""", "headers[0].name: required")]
    [InlineData("""{"headerControl":true,"headers":[{"name":"x-a","exact":"v","prefix":"v"}]}""", "headers[0]: needs exactly one of exact, prefix or present")]
    [InlineData("""{"headerControl":"yes"}""", "headerControl: wrong JSON type, expected true or false")]
    [InlineData("""{"headerControl":true,"other":1}""", "other: unknown field")]
    [InlineData("""{"name":"a b","headerControl":true}""", "name: must be printable ASCII without spaces")]
    [InlineData("""null""", "config: must be a JSON object (got null)")]
    public void Invalid_documents_name_the_field(string json, string expected)
    {
        Assert.False(FaultConfigJson.TryParse(json, out var config, out var error));
        Assert.Null(config);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_valid_document_round_trips()
    {
        const string Json = """{"name":"api","abort":{"httpStatus":503,"grpcStatus":14,"percentage":{"numerator":5,"denominator":"tenThousand"}},"delay":{"fixedDelayMs":200,"percentage":{"numerator":10}},"headerControl":true,"maxActiveFaults":50,"headers":[{"name":"x-user","exact":"bob"},{"name":"x-canary","present":true}],"seed":7}""";
        Assert.True(FaultConfigJson.TryParse(Json, out var config, out var error), error);
        Assert.Equal(Json, FaultConfigJson.Serialize(config!));
    }

    [Theory]
    [InlineData(null, 1_000_000u)]
    [InlineData("""{"numerator":5}""", 50_000u)]
    [InlineData("""{"numerator":5,"denominator":"tenThousand"}""", 500u)]
    [InlineData("""{"numerator":5,"denominator":"million"}""", 5u)]
    [InlineData("""{"numerator":500}""", 1_000_000u)]
    public void Percentages_become_parts_per_million(string? percentage, uint expected)
    {
        string json = percentage is null ? """{"abort":{"httpStatus":503}}""" : $$$"""{"abort":{"httpStatus":503,"percentage":{{{percentage}}}}}""";
        Assert.True(FaultConfigJson.TryParse(json, out var config, out var error), error);
        Assert.Equal(expected, FaultFractions.PartsPerMillion(config!.Abort!.Percentage));
    }
}
