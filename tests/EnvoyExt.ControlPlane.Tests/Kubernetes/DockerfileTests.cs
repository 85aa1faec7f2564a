using System.Text.RegularExpressions;
using System.Xml.Linq;
using EnvoyExt.ControlPlane.Tests.Xds;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// deploy/'s Dockerfiles without Docker (none can be installed here): each stage builds a project
/// that exists, what a later stage copies out of a build stage is under that stage's publish
/// output and is a file the project really produces (its AssemblyName), and the image tag each
/// Dockerfile documents is the image the manifests run.
/// </summary>
public sealed partial class DockerfileTests
{
    [GeneratedRegex(@"^RUN dotnet publish (?<project>\S+\.csproj)\b.*\s-o\s+(?<output>\S+)")]
    private static partial Regex Publish();

    [GeneratedRegex(@"^COPY --from=(?<stage>\S+) (?<source>\S+) (?<target>\S+)$")]
    private static partial Regex CopyFrom();

    [GeneratedRegex(@"docker build -f (?<file>\S+) -t (?<image>[^:\s]+):(?<tag>\S+) \.")]
    private static partial Regex BuildCommand();

    public static TheoryData<string, string, string> Images => new()
    {
        // Dockerfile, the file its final stage must receive from the build, the manifest running the image.
        { "deploy/controller/Dockerfile", "envoyext-controller.dll", "deploy/controller/controller.yaml" },
        { "deploy/envoy/Dockerfile", "libenvoyext.so", "deploy/envoy/envoy.yaml" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void TheBuildStagePublishesARealProjectAndTheFinalStageCopiesWhatItProduces(string dockerfile, string product, string manifest)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, dockerfile)).Select(l => l.Trim()).ToList();

        // The build stage copies the whole repository (the build context is the repository root) and publishes one project.
        Assert.Contains("COPY . .", lines);
        var publish = Publish().Match(Assert.Single(lines, l => Publish().IsMatch(l)));
        var project = Path.Combine(RepoPaths.Root, publish.Groups["project"].Value);
        Assert.True(File.Exists(project), $"{dockerfile}: {publish.Groups["project"].Value} does not exist");
        var assemblyName = XDocument.Load(project).Descendants("AssemblyName").Single().Value;
        var output = publish.Groups["output"].Value.TrimEnd('/');

        // The final stage takes the product out of that publish output, from a stage declared before it.
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal) && l.Contains(" AS ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[^1]).ToList();
        var copy = CopyFrom().Match(Assert.Single(lines, l => CopyFrom().IsMatch(l)));
        Assert.Contains(copy.Groups["stage"].Value, stages);
        var source = copy.Groups["source"].Value.TrimEnd('/');
        Assert.True(source == output || source.StartsWith(output + "/", StringComparison.Ordinal), $"{dockerfile}: copies {source}, the build publishes to {output}");
        Assert.StartsWith(assemblyName, product, StringComparison.Ordinal);
        var shipped = source == output ? product : Path.GetFileName(source);
        Assert.Equal(product, shipped);
        if (product.EndsWith(".dll", StringComparison.Ordinal))
        {
            Assert.Contains(lines, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && l.Contains(product, StringComparison.Ordinal));
        }

        // The documented build command tags the image the manifest runs (kustomization sets the tag).
        var build = BuildCommand().Match(string.Join('\n', lines));
        Assert.True(build.Success, $"{dockerfile}: no `docker build -f ... -t ...` comment");
        Assert.Equal(dockerfile, build.Groups["file"].Value);
        var manifestText = File.ReadAllText(Path.Combine(RepoPaths.Root, manifest));
        Assert.Contains("image: " + build.Groups["image"].Value + "\n", manifestText, StringComparison.Ordinal);
        var kustomization = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "kustomization.yaml"));
        Assert.Contains($"- name: {build.Groups["image"].Value}\n    newTag: {build.Groups["tag"].Value}\n", kustomization, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEnvoyImageSearchPathHoldsTheModule()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "deploy", "envoy", "Dockerfile"));
        var target = CopyFrom().Match(lines.Single(l => CopyFrom().IsMatch(l))).Groups["target"].Value;
        var searchPath = lines.Single(l => l.StartsWith("ENV ENVOY_DYNAMIC_MODULES_SEARCH_PATH=", StringComparison.Ordinal)).Split('=')[1];

        // Envoy resolves the module named "envoyext" to <search path>/libenvoyext.so.
        Assert.Equal(searchPath.TrimEnd('/') + "/libenvoyext.so", target);
        Assert.Contains(lines, l => l.StartsWith("FROM envoyproxy/envoy:v1.40", StringComparison.Ordinal));
    }
}
