using System.Diagnostics;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.Tests.Providers;

namespace EnvoyExt.ControlPlane.Tests.Hostile;

/// <summary>Special files, links, deep trees, oversized and half-written files: reported, never followed or waited on.</summary>
public sealed class FolderHostilityTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static StandaloneOptions Options(TempFolder folder) => new() { Folder = folder.Path };

    /// <summary>Runs a scan on another thread so a scan that blocks fails the test instead of hanging it.</summary>
    private static FolderState Scan(TempFolder folder, StandaloneOptions options, TimeSpan settle = default)
    {
        var state = new FolderState(folder.Path, options);
        var scan = Task.Run(() => state.Rescan(settle));
        Assert.True(scan.Wait(HangGuard), "the folder scan did not finish");
        return state;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [Fact]
    public void AFifoIsReportedAndNeverOpenedForReading()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        MakeFifo(Path.Combine(folder.Path, "pipe.yaml"));

        var resources = Scan(folder, Options(folder)).Current();

        Assert.Single(resources.Gateways);
        Assert.Equal("pipe.yaml: not a regular file (a FIFO, device or socket); not read (nothing from this file is served)", Assert.Single(resources.Problems));
    }

    [Fact]
    public void SymlinksLeavingTheFolderOrLoopingAreReportedAndInsideOnesAreRead()
    {
        using var folder = new TempFolder();
        using var outside = new TempFolder();
        var secret = outside.Write("secret.yaml", Manifests.Route("outside"));
        folder.Write("gateway.yaml", Manifests.Gateway);
        folder.Write(".data/route.yaml", Manifests.Route("inside"));
        File.CreateSymbolicLink(Path.Combine(folder.Path, "route.yaml"), ".data/route.yaml");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "escape.yaml"), secret);
        File.CreateSymbolicLink(Path.Combine(folder.Path, "loop-a.yaml"), "loop-b.yaml");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "loop-b.yaml"), "loop-a.yaml");
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "again"), folder.Path);

        var resources = Scan(folder, Options(folder)).Current();

        Assert.Equal("inside", Assert.Single(resources.HttpRoutes).Metadata.Name);
        Assert.Equal(
            [
                "again: symlinked folder not followed",
                "escape.yaml: symlink points outside the folder; skipped",
                "loop-a.yaml: symlink is dangling or forms a loop; skipped",
                "loop-b.yaml: symlink is dangling or forms a loop; skipped",
            ],
            resources.Problems);
    }

    [Fact]
    public void DeepTreesAndManyEntriesStopTheWalkWithAReport()
    {
        using var folder = new TempFolder();
        folder.Write("a/b/c/d/route.yaml", Manifests.Route("deep"));
        folder.Write("gateway.yaml", Manifests.Gateway);

        var shallow = Scan(folder, Options(folder) with { MaxDepth = 2 }).Current();
        Assert.Empty(shallow.HttpRoutes);
        Assert.Equal("a/b/c: more than 2 folders deep; not read", Assert.Single(shallow.Problems));

        var few = Scan(folder, Options(folder) with { MaxEntries = 1 }).Current();
        Assert.Contains(few.Problems, p => p.EndsWith(": more than 1 entries; the rest of the folder is not read", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOversizedFileIsNotReadAndItsLastGoodVersionKeepsServing()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        var route = folder.Write("route.yaml", Manifests.Route("r"));
        var options = Options(folder) with { MaxFileBytes = 4096 };
        var state = Scan(folder, options);
        Assert.Single(state.Current().HttpRoutes);

        // Sparse: the size is what counts, no disk space is used.
        using (var grow = File.OpenWrite(route))
        {
            grow.SetLength(1L << 30);
        }
        Assert.True(state.Rescan(TimeSpan.Zero));

        var resources = state.Current();
        Assert.Equal("r", Assert.Single(resources.HttpRoutes).Metadata.Name);
        Assert.Equal("route.yaml: 1073741824 bytes, above the 4096-byte limit; not read (its last good version keeps serving)", Assert.Single(resources.Problems));
    }

    [Fact]
    public void ATruncatedFileNeverMakesRoutesDisappear()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        var route = folder.Write("route.yaml", Manifests.Route("r"));
        var state = Scan(folder, Options(folder));

        File.WriteAllText(route, ""); // "> route.yaml", the first step of a rewrite in place
        Assert.True(state.Rescan(TimeSpan.Zero));
        var truncated = state.Current();
        Assert.Equal("r", Assert.Single(truncated.HttpRoutes).Metadata.Name);
        Assert.Contains("probably truncated", Assert.Single(truncated.Problems), StringComparison.Ordinal);

        File.WriteAllText(route, Manifests.Route("r2")); // the rewrite completes
        Assert.True(state.Rescan(TimeSpan.Zero));
        Assert.Equal("r2", Assert.Single(state.Current().HttpRoutes).Metadata.Name);
        Assert.Empty(state.Current().Problems);
    }

    [Fact]
    public void AFileStillBeingWrittenIsLeftForALaterScan()
    {
        using var folder = new TempFolder();
        folder.Write("gateway.yaml", Manifests.Gateway);
        var state = Scan(folder, Options(folder));
        File.WriteAllText(Path.Combine(folder.Path, "route.yaml"), Manifests.Route("r")[..40]); // half written, in place

        Assert.False(state.Rescan(TimeSpan.FromHours(1)));
        Assert.True(state.Unsettled);
        Assert.Empty(state.Current().HttpRoutes);
        Assert.Empty(state.Current().Problems);

        File.WriteAllText(Path.Combine(folder.Path, "route.yaml"), Manifests.Route("r"));
        Assert.True(state.Rescan(TimeSpan.Zero));
        Assert.False(state.Unsettled);
        Assert.Single(state.Current().HttpRoutes);
    }
}
