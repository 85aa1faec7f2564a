using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>Wildcard and named subscription rules of SotW.</summary>
public sealed class TypeSubscriptionTests
{
    [Fact]
    public void Empty_list_is_wildcard_for_listeners_until_a_name_was_requested()
    {
        var lds = new TypeSubscription(XdsTypeUrls.Listener);
        Assert.True(lds.Update([]));
        Assert.True(lds.Wildcard);

        lds.Update(["a"]);
        Assert.False(lds.Wildcard);
        lds.Update([]);
        Assert.False(lds.Wildcard);
        Assert.Empty(lds.Names);
    }

    [Fact]
    public void Star_is_wildcard_and_may_come_with_names()
    {
        var cds = new TypeSubscription(XdsTypeUrls.Cluster);
        cds.Update(["x"]);
        Assert.True(cds.Update(["*", "x"]));
        Assert.True(cds.Wildcard);
        Assert.Equal(["x"], cds.Names);
    }

    [Fact]
    public void Empty_list_is_never_wildcard_for_endpoints()
    {
        var eds = new TypeSubscription(XdsTypeUrls.Endpoint);
        eds.Update([]);
        Assert.False(eds.Wildcard);
    }

    [Fact]
    public void Growth_is_reported_only_for_new_names()
    {
        var rds = new TypeSubscription(XdsTypeUrls.Route);
        Assert.True(rds.Update(["a"]));
        Assert.False(rds.Update(["a"]));
        Assert.True(rds.Update(["a", "b"]));
        Assert.False(rds.Update(["b"]));
    }
}
