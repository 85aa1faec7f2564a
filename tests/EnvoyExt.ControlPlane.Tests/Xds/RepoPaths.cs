namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>Finds test data in the source tree (not the output folder) so UPDATE_GOLDEN writes where git sees it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string XdsTestData => Path.Combine(Root, "tests", "EnvoyExt.ControlPlane.Tests", "testdata", "xds");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnvoyExt.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("EnvoyExt.sln not found above " + AppContext.BaseDirectory);
    }
}
