using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.Filters.ExtAuth.Tests;

/// <summary>The ext_auth document: errors name the field, defaults hold, a round trip keeps every field.</summary>
[Collection("FakeEnvoy")]
public sealed class ConfigTests
{
    [Theory]
    [InlineData("""{}""", "cluster: required")]
    [InlineData("""{"cluster":"a","protocol":"soap"}""", "protocol: must be \"http\" or \"grpc\" (got \"soap\")")]
    [InlineData("""{"cluster":"a b"}""", "cluster: must be printable ASCII without spaces")]
    [InlineData("""{"cluster":"a","timeoutMs":0}""", "timeoutMs: must be between 1 and 60000 (got 0)")]
    [InlineData("""{"cluster":"a","pathPrefix":"auth"}""", "pathPrefix: must start with '/' and not end with '/'")]
    [InlineData("""{"cluster":"a","protocol":"grpc","pathPrefix":"/x"}""", "pathPrefix: only for protocol \"http\"")]
    [InlineData("""{"cluster":"a","headersToExtAuth":["X-User"]}""", "headersToExtAuth[0]: must be lower-case")]
    [InlineData("""{"cluster":"a","headersToExtAuth":["x","x"]}""", "headersToExtAuth[1]: 'x' is listed twice")]
    [InlineData("""{"cluster":"a","headersToBackend":[":path"]}""", "headersToBackend[0]: ':path' is a pseudo-header")]
    [InlineData("""{"cluster":"a","protocol":"grpc","headersToBackend":["x"]}""", "headersToBackend: only for protocol \"http\" (a gRPC service sends header mutations)")]
    [InlineData("""{"cluster":"a","maxRequestBytes":2097152}""", "maxRequestBytes: must be between 0 and 1048576 (got 2097152)")]
    [InlineData("""{"cluster":"a","allowPartialMessage":true}""", "allowPartialMessage: needs maxRequestBytes above 0")]
    [InlineData("""{"cluster":"a","statusOnError":99}""", "statusOnError: must be an HTTP status between 200 and 599 (got 99)")]
    [InlineData("""{"disabled":true,"cluster":"a"}""", "disabled: must be the only field when true")]
    [InlineData("""{"cluster":"a","bogus":1}""", "bogus: unknown field")]
    [InlineData("""{"cluster":"a","metadataNamespace":"authz"}""", "metadataNamespace: only with protocol \"grpc\" (an HTTP answer carries no metadata)")]
    [InlineData("""{"cluster":"a","timeoutMs":"5"}""", "timeoutMs: wrong JSON type, expected an integer")]
    public void Rejects_bad_documents_naming_the_field(string json, string expected)
    {
        Assert.False(ExtAuthConfigJson.TryParse(json, out var config, out var error));
        Assert.Null(config);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Round_trips_every_field()
    {
        const string json = """{"protocol":"http","cluster":"auth","authority":"auth.local","timeoutMs":150,"pathPrefix":"/check","headersToExtAuth":["x-user"],"headersToBackend":["x-id"],"maxRequestBytes":100,"allowPartialMessage":true,"statusOnError":503,"failOpen":true}""";
        Assert.True(ExtAuthConfigJson.TryParse(json, out var config, out var error), error);
        Assert.Equal(json, ExtAuthConfigJson.Serialize(config!));
    }

    [Fact]
    public void The_module_reports_a_bad_document_with_the_filter_name()
    {
        using var envoy = new FakeEnvoy(new ExtAuthFilterFactory());
        Assert.Null(envoy.TryCreateConfig("ext_auth", """{"cluster":"a","timeoutMs":-1}""", out var error));
        Assert.Equal("ext_auth: invalid filter config: timeoutMs: must be between 1 and 60000 (got -1)", error);
        Assert.Null(envoy.TryCreateRouteConfig("ext_auth", """{"disabled":false}""", out error));
        Assert.Contains("disabled: only true is meaningful", error, StringComparison.Ordinal);
    }
}
