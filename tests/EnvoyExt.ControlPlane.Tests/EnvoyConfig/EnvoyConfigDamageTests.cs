using Google.Protobuf;

namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>
/// Proves the schema and semantic checks have teeth: a damaged copy of each file must be rejected
/// with an error naming what was broken. Damage is applied in memory to a copy of the real file.
/// </summary>
public class EnvoyConfigDamageTests
{
    [Theory]
    // A misspelled field at bootstrap level, inside the HCM Any, inside the module filter Any, and
    // inside the nested per-route Any; an unknown enum value; an @type outside our subset.
    [InlineData("envoy-static.yaml", "connect_timeout: 1s", "connect_timout: 1s", "connect_timout")]
    [InlineData("envoy-static.yaml", "stat_prefix: ingress_http", "stat_prefx: ingress_http", "stat_prefx")]
    [InlineData("envoy-static.yaml", "filter_name: rate_limit\n              #", "filter_nme: rate_limit\n              #", "filter_nme")]
    [InlineData("envoy-static.yaml", "per_route_config_name: rate_limit", "per_route_confg_name: rate_limit", "per_route_confg_name")]
    [InlineData("envoy-static.yaml", "type: STATIC", "type: STATIK", "STATIK")]
    [InlineData("envoy-static.yaml", "router.v3.Router", "router.v3.Routr", "Routr")]
    [InlineData("xds-bootstrap.yaml", "envoy_grpc:", "envoy_grcp:", "envoy_grcp")]
    [InlineData("xds-bootstrap.yaml", "http2_protocol_options:", "http2_protocol_option:", "http2_protocol_option")]
    [InlineData("xds-bootstrap.yaml", "api_type: GRPC", "api_type: GRCP", "GRCP")]
    public void Misspelling_is_rejected_by_the_schema(string file, string original, string damaged, string named)
    {
        string yaml = Damage(EnvoyConfigFiles.Read(file), original, damaged);

        var error = Assert.ThrowsAny<Exception>(() => EnvoyBootstrapSchema.ParseYaml(yaml));

        Assert.True(error is InvalidProtocolBufferException or InvalidOperationException, error.ToString());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_number_for_a_port_parses_but_a_number_for_a_name_does_not()
    {
        // Envoy's YAML typing: plain 8080 is a number, which a string field refuses.
        string yaml = EnvoyConfigFiles.Read("envoy-static.yaml");
        EnvoyBootstrapSchema.ParseYaml(Damage(yaml, "port_value: 8080", "port_value: \"8080\""));

        Assert.ThrowsAny<InvalidProtocolBufferException>(
            () => EnvoyBootstrapSchema.ParseYaml(Damage(yaml, "- name: backend\n    type", "- name: 8080\n    type")));
    }

    [Theory]
    [InlineData("envoy-static.yaml", "do_not_close: true }\n              filter_name", "do_not_close: false }\n              filter_name", "do_not_close: must be true")]
    [InlineData("envoy-static.yaml", "{ name: envoyext, do_not_close: true }\n                    filter_name", "{ name: envoyx, do_not_close: true }\n                    filter_name", "must be \"envoyext\"")]
    [InlineData("envoy-static.yaml", "                  envoyext.rate_limit:", "                  envoyext.ratelimit:", "[envoyext.ratelimit]: names no HTTP filter")]
    [InlineData("envoy-static.yaml", "\"requests\": 5,", "\"requests\": 0,", "limit.requests: must be >= 1")]
    [InlineData("envoy-static.yaml", "value: '{\"rules\": []}'", "value: '{\"disabled\": true}'", "at Listener level: disabled: only allowed in a per-route config")]
    [InlineData("envoy-static.yaml", "value: '{\"disabled\": true}'", "value: '{\"disabled\": true, \"rules\": []}'", "at Route level: disabled: must be the only field")]
    [InlineData("envoy-static.yaml", "per_route_config_name: rate_limit", "per_route_config_name: ratelimit", "filter_name and per_route_config_name must be equal")]
    [InlineData("envoy-static.yaml", "route: { cluster: backend }", "route: { cluster: backnd }", "no static cluster named \"backnd\"")]
    [InlineData("xds-bootstrap.yaml", "cluster_name: envoyext_controller }", "cluster_name: controller }", "no static cluster named \"controller\"")]
    [InlineData("envoy-static.yaml", "domains: [\"*\"]", "domains: []", "domains: at least one domain")]
    [InlineData("envoy-static.yaml", "port_value: 8080", "port_value: 80800", "port_value: must be <= 65535")]
    [InlineData("envoy-static.yaml", "- match: { prefix: \"/\" }", "- match: { case_sensitive: true }", "one of prefix, path, safe_regex")]
    [InlineData("xds-bootstrap.yaml", "cluster: default/quickstart", "cluster: quickstart", "node.cluster: must be")]
    [InlineData("xds-bootstrap.yaml", "http2_protocol_options: {}", "http_protocol_options: {}", "gRPC needs HTTP/2")]
    public void Semantic_damage_is_reported(string file, string original, string damaged, string expected)
    {
        var bootstrap = EnvoyBootstrapSchema.ParseYaml(Damage(EnvoyConfigFiles.Read(file), original, damaged));

        var problems = EnvoyConfigChecks.Problems(bootstrap);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    // Replaces the first occurrence, and fails loudly if the file no longer contains it (so a test
    // never passes because its damage silently stopped applying).
    private static string Damage(string yaml, string original, string damaged)
    {
        int at = yaml.IndexOf(original, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the file no longer contains \"{original}\"");
        return string.Concat(yaml.AsSpan(0, at), damaged, yaml.AsSpan(at + original.Length));
    }
}
