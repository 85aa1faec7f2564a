using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>Inconsistent resource sets are detected and never replace a Gateway's good snapshot.</summary>
public sealed class XdsConsistencyTests
{
    [Fact]
    public void Golden_inputs_are_consistent()
    {
        foreach (var (name, build) in GoldenCases.All)
        {
            foreach (var (key, gateway) in XdsTranslator.Translate(build()))
            {
                Assert.True(XdsConsistency.Problems(gateway).Count == 0, $"{name} {key}: {string.Join("; ", XdsConsistency.Problems(gateway))}");
            }
        }
    }

    [Fact]
    public void Route_to_a_missing_cluster_and_a_shared_port_are_reported_with_names()
    {
        var broken = Snapshot(Gateway("default", "gw",
            [
                Listener("default/gw/a", 8080, null, VHost("default/gw/a/*", ["*"], Route("httproute/default/r/rule/0/match/0", Match(), Forward(("default/gone/80", 1))))),
                Listener("default/gw/b", 8080, null),
            ]));

        var problems = XdsConsistency.Problems(XdsTranslator.Translate(broken)["default/gw"]);

        Assert.Contains(problems, p => p.Contains("\"httproute/default/r/rule/0/match/0\"") && p.Contains("\"default/gone/80\""));
        Assert.Contains(problems, p => p.Contains("\"default/gw/b\"") && p.Contains("0.0.0.0:8080"));
    }

    [Fact]
    public void Problems_found_during_translation_match_the_check_of_the_served_bytes()
    {
        var broken = Snapshot(Gateway("default", "gw",
            [
                Listener("default/gw/a", 8080, null, VHost("default/gw/a/*", ["*"], Route("httproute/default/r/rule/0/match/0", Match(), Forward(("default/gone/80", 1))))),
                Listener("default/gw/b", 8080, null),
            ]));
        var gateway = XdsTranslator.Translate(broken)["default/gw"];

        // The translator checks the messages it built; the bytes it kept must tell the same story.
        Assert.NotEmpty(gateway.Problems);
        Assert.Equal(XdsConsistency.Problems(gateway), gateway.Problems);
    }

    [Fact]
    public void Publisher_keeps_the_last_good_snapshot_of_an_inconsistent_gateway()
    {
        var cache = new XdsSnapshotCache();
        var metrics = new XdsMetrics();
        var publisher = new XdsPublisher(cache, metrics);
        var good = SimpleGateway([Route("httproute/default/r/rule/0/match/0", Match(), Forward(("default/svc/80", 1)))], [Cluster("default/svc/80")]);
        publisher.Publish(good, null);
        var version = cache.Get("default/gw")!.Version(XdsTypeUrls.Route);

        var broken = SimpleGateway([Route("httproute/default/r/rule/0/match/0", Match(), Forward(("default/gone/80", 1)))], [Cluster("default/svc/80")]);
        publisher.Publish(broken, null);

        Assert.Equal(version, cache.Get("default/gw")!.Version(XdsTypeUrls.Route));
        Assert.Contains("default/gone/80", publisher.LatestError);
        Assert.Equal(1, metrics.TranslationErrors);
    }
}
