using System.Text;
using EnvoyExt.Filters.RateLimit.ResponseCost;

namespace EnvoyExt.Filters.RateLimit.Tests.ResponseCost;

/// <summary>Reading a cost from a header value or from (a prefix of) a JSON body.</summary>
public sealed class ResponseCostReaderTests
{
    private static readonly byte[][] UsageTotal = [.. "usage.total_tokens".Split('.').Select(Encoding.UTF8.GetBytes)];

    private static (CostReading Reading, uint Cost) Json(string body, bool complete = true, byte[][]? path = null)
    {
        var reading = ResponseCostReader.FromJson(Encoding.UTF8.GetBytes(body), complete, path ?? UsageTotal, out uint cost);
        return (reading, cost);
    }

    [Fact]
    public void Finds_a_nested_member_past_other_members_of_every_kind()
    {
        const string Body = """
            {"id":"x","choices":[{"message":{"usage":{"total_tokens":1}}}],"usage":{"prompt_tokens":3,"nested":{"total_tokens":99},
             "total_tokens":42},"tail":true}
            """;

        Assert.Equal((CostReading.Found, 42u), Json(Body));
    }

    [Fact]
    public void Member_names_are_compared_after_unescaping()
    {
        Assert.Equal((CostReading.Found, 7u), Json("""{"us\u0061ge":{"total_tokens":7}}"""));
    }

    [Theory]
    [InlineData("""{"usage":{}}""")]
    [InlineData("""{"other":{"total_tokens":5}}""")]
    [InlineData("""{"usage":{"total_tokens_x":5}}""")]
    [InlineData("""{"usage":5}""")]
    [InlineData("""[{"usage":{"total_tokens":5}}]""")]
    public void An_absent_member_is_missing(string body)
    {
        Assert.Equal(CostReading.Missing, Json(body).Reading);
    }

    [Theory]
    [InlineData("""{"usage":{"total_tokens":-3}}""")]
    [InlineData("""{"usage":{"total_tokens":2.5}}""")]
    [InlineData("""{"usage":{"total_tokens":"12"}}""")]
    [InlineData("""{"usage":{"total_tokens":null}}""")]
    [InlineData("""<html>bad gateway</html>""")]
    [InlineData("""{"usage":{"total_tokens":1""")]
    [InlineData("""12""")]
    public void A_value_that_is_not_a_non_negative_integer_or_a_body_that_is_not_json_is_invalid(string body)
    {
        Assert.Equal((CostReading.Invalid, 0u), Json(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n")]
    public void An_empty_body_is_missing(string body)
    {
        Assert.Equal((CostReading.Missing, 0u), Json(body));
    }

    [Fact]
    public void Huge_values_are_clamped_to_the_token_range()
    {
        Assert.Equal((CostReading.Found, uint.MaxValue), Json("""{"usage":{"total_tokens":123456789012}}"""));
    }

    [Fact]
    public void In_a_prefix_a_member_that_ended_is_found_and_one_that_did_not_is_missing()
    {
        const string Body = """{"usage":{"total_tokens":42},"data":[1,2,3,4,5,6,7,8]}""";
        Assert.Equal((CostReading.Found, 42u), Json(Body[..40], complete: false));
        Assert.Equal(CostReading.Missing, Json("""{"data":[1,2,3],"usage":{"total_tokens":42}}"""[..20], complete: false).Reading);
        // The number itself cut short: not known yet, so missing rather than a wrong, smaller value.
        Assert.Equal(CostReading.Missing, Json("""{"usage":{"total_tokens":42""", complete: false).Reading);
    }

    [Theory]
    [InlineData("17", true, 17u)]
    [InlineData(" 17 ", true, 17u)]
    [InlineData("0", true, 0u)]
    [InlineData("-1", false, 0u)]
    [InlineData("1.5", false, 0u)]
    [InlineData("12abc", false, 0u)]
    [InlineData("", false, 0u)]
    public void Header_values_are_plain_integers(string value, bool valid, uint cost)
    {
        Assert.Equal(valid ? CostReading.Found : CostReading.Invalid, ResponseCostReader.FromHeader(Encoding.ASCII.GetBytes(value), out uint read));
        Assert.Equal(cost, read);
    }
}
