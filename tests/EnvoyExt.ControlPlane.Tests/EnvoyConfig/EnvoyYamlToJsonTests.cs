namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>The YAML typing rules the strict check relies on; wrong typing would make it too lax or too strict.</summary>
public class EnvoyYamlToJsonTests
{
    [Theory]
    [InlineData("a: 1s", """{"a":"1s"}""")]
    [InlineData("a: 8080", """{"a":8080}""")]
    [InlineData("a: \"8080\"", """{"a":"8080"}""")]
    [InlineData("a: 0x10", """{"a":16}""")]
    [InlineData("a: 1.5", """{"a":1.5}""")]
    [InlineData("a: true", """{"a":true}""")]
    [InlineData("a: 'true'", """{"a":"true"}""")]
    [InlineData("a: !!str true", """{"a":"true"}""")]
    [InlineData("a: off", """{"a":false}""")]
    [InlineData("a: ~", """{"a":null}""")]
    [InlineData("a: 0.0.0.0", """{"a":"0.0.0.0"}""")]
    [InlineData("a: |\n  {\"x\": 1}\n", """{"a":"{\u0022x\u0022: 1}\n"}""")]
    [InlineData("a: [\"*\", b]", """{"a":["*","b"]}""")]
    [InlineData("\"@type\": t", """{"@type":"t"}""")]
    public void Scalars_are_typed_like_envoys_loader(string yaml, string json)
    {
        Assert.Equal(json, EnvoyYamlToJson.Convert(yaml));
    }

    [Fact]
    public void More_than_one_document_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => EnvoyYamlToJson.Convert("a: 1\n---\nb: 2\n"));

        Assert.Contains("exactly one YAML document", error.Message, StringComparison.Ordinal);
    }
}
