using EnvoyExt.ControlPlane.Providers;
using EnvoyExt.ControlPlane.Providers.Standalone;

namespace EnvoyExt.ControlPlane.Tests.Providers;

/// <summary>
/// The provider against a real temp folder. Each step waits for the next snapshot (with a generous
/// cancellation bound so a bug fails instead of hanging); nothing asserts on timing.
/// </summary>
public sealed class StandaloneProviderTests
{
    private static readonly TimeSpan StepBound = TimeSpan.FromSeconds(30);

    private static StandaloneOptions Options(TempFolder folder) => new()
    {
        Folder = folder.Path,
        Debounce = TimeSpan.FromMilliseconds(50),
        RescanInterval = TimeSpan.FromMilliseconds(250),
    };

    private static async Task<ResourceSnapshot> NextAsync(IAsyncEnumerator<ResourceSnapshot> snapshots)
    {
        var next = snapshots.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(next, Task.Delay(StepBound));
        Assert.True(finished == next, "the provider produced no snapshot after a change");
        Assert.True(await next);
        return snapshots.Current;
    }

    [Fact]
    public async Task FirstSnapshotHoldsTheFolder()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        folder.Write("routes/a.yaml", Manifests.Route("a"));
        using var cts = new CancellationTokenSource();
        await using var snapshots = new StandaloneProvider(Options(folder)).WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var first = await NextAsync(snapshots);

        Assert.Equal(1, first.Version);
        Assert.Single(first.Resources.Gateways);
        Assert.Equal("a", Assert.Single(first.Resources.HttpRoutes).Metadata.Name);
        Assert.Empty(first.Resources.Problems);
        await cts.CancelAsync();
    }

    [Fact]
    public async Task ReloadsOnChange()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        folder.Write("route.yaml", Manifests.Route("a", port: 8080));
        using var cts = new CancellationTokenSource();
        await using var snapshots = new StandaloneProvider(Options(folder)).WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await NextAsync(snapshots);

        folder.Write("route.yaml", Manifests.Route("a", port: 9090));
        var second = await NextAsync(snapshots);

        Assert.Equal(2, second.Version);
        Assert.Equal(9090, Assert.Single(second.Resources.HttpRoutes).Rules[0].BackendRefs[0].Port);
        await cts.CancelAsync();
    }

    [Fact]
    public async Task BadFileKeepsItsLastGoodVersionAndIsReported()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        folder.Write("route.yaml", Manifests.Route("a"));
        using var cts = new CancellationTokenSource();
        await using var snapshots = new StandaloneProvider(Options(folder)).WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await NextAsync(snapshots);

        folder.Write("route.yaml", Manifests.Route("a").Replace("port: 8080", "port: lots"));
        var broken = await NextAsync(snapshots);

        var route = Assert.Single(broken.Resources.HttpRoutes);
        Assert.Equal(8080, route.Rules[0].BackendRefs[0].Port);
        var problem = Assert.Single(broken.Resources.Problems);
        Assert.StartsWith("route.yaml:12: spec.rules[0].backendRefs[0].port: expected an integer", problem, StringComparison.Ordinal);
        Assert.Contains("last good version", problem, StringComparison.Ordinal);

        folder.Write("route.yaml", Manifests.Route("a", port: 7070));
        var fixedAgain = await NextAsync(snapshots);
        Assert.Equal(7070, Assert.Single(fixedAgain.Resources.HttpRoutes).Rules[0].BackendRefs[0].Port);
        Assert.Empty(fixedAgain.Resources.Problems);
        await cts.CancelAsync();
    }

    [Fact]
    public async Task BadNewFileContributesNothing()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        using var cts = new CancellationTokenSource();
        await using var snapshots = new StandaloneProvider(Options(folder)).WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await NextAsync(snapshots);

        folder.Write("new.yaml", "kind: [");
        var next = await NextAsync(snapshots);

        Assert.Empty(next.Resources.HttpRoutes);
        Assert.Single(next.Resources.Gateways);
        Assert.Contains("nothing from this file is served", Assert.Single(next.Resources.Problems), StringComparison.Ordinal);
        await cts.CancelAsync();
    }

    [Fact]
    public async Task DeletedFileRemovesItsResources()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        folder.Write("a.yaml", Manifests.Route("a"));
        folder.Write("b.yaml", Manifests.Route("b"));
        using var cts = new CancellationTokenSource();
        await using var snapshots = new StandaloneProvider(Options(folder)).WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.Equal(2, (await NextAsync(snapshots)).Resources.HttpRoutes.Count);

        folder.Delete("a.yaml");
        var next = await NextAsync(snapshots);

        Assert.Equal("b", Assert.Single(next.Resources.HttpRoutes).Metadata.Name);
        await cts.CancelAsync();
    }

    [Fact]
    public async Task MissingFolderYieldsAnEmptySetAndPicksFilesUpLater()
    {
        using var parent = new TempFolder();
        var options = new StandaloneOptions
        {
            Folder = Path.Combine(parent.Path, "later"),
            Debounce = TimeSpan.FromMilliseconds(50),
            RescanInterval = TimeSpan.FromMilliseconds(250),
        };
        using var cts = new CancellationTokenSource();
        await using var snapshots = new StandaloneProvider(options).WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var first = await NextAsync(snapshots);
        Assert.Empty(first.Resources.Gateways);
        Assert.Contains("folder not found", Assert.Single(first.Resources.Problems), StringComparison.Ordinal);
        Assert.False(Directory.Exists(options.Folder), "the provider must not create the folder it was given");

        parent.Write("later/gateway.yaml", Manifests.Gateway);
        var next = await NextAsync(snapshots);
        while (next.Resources.Gateways.Count == 0)
        {
            // The folder may be seen before the file inside it: each is a real change.
            next = await NextAsync(snapshots);
        }

        Assert.Single(next.Resources.Gateways);
        Assert.Empty(next.Resources.Problems);
        await cts.CancelAsync();
    }

    [Fact]
    public void HiddenAndNonYamlFilesAreIgnored()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yml", Manifests.Gateway);
        folder.Write(".hidden.yaml", Manifests.Route("hidden"));
        folder.Write(".git/config.yaml", Manifests.Route("git"));
        folder.Write("notes.txt", "not yaml: [");

        var set = StandaloneProvider.ReadFolder(folder.Path);

        Assert.Single(set.Gateways);
        Assert.Empty(set.HttpRoutes);
        Assert.Empty(set.Problems);
    }

    [Fact]
    public void DuplicateResourceAcrossFilesIsReported()
    {
        using var folder = new TempFolder();
        folder.Write("a.yaml", Manifests.Route("same", port: 1));
        folder.Write("b.yaml", Manifests.Route("same", port: 2));

        var set = StandaloneProvider.ReadFolder(folder.Path);

        Assert.Equal(2, Assert.Single(set.HttpRoutes).Rules[0].BackendRefs[0].Port);
        Assert.Contains("HTTPRoute/default/same is also defined at a.yaml:1", Assert.Single(set.Problems), StringComparison.Ordinal);
    }
}
