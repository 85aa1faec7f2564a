using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.ControlPlane.Tests.Xds;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.BandwidthLimit.Config;
using EnvoyExt.Filters.ConcurrencyLimit.Config;
using EnvoyExt.Filters.ExtAuth.Config;
using EnvoyExt.Filters.Fault.Config;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// examples/envoy-gateway: the module registrations Envoy Gateway needs, policies that name them and
/// existing routes, no two policies on one listener sharing a registered name with different
/// settings (Envoy Gateway would give both the first one's), and every config accepted by the
/// filter's own contract, read at listener level as Envoy Gateway delivers it.
/// </summary>
public sealed partial class EnvoyGatewayExampleTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "examples", "envoy-gateway");

    /// <summary>Our filters by filter_name, each with its contract's parser at listener level.</summary>
    private static readonly Dictionary<string, Func<string, string?>> Contracts = new(StringComparer.Ordinal)
    {
        [RateLimitFilterContract.FilterName] = json => RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out _, out var e) ? null : e,
        [ConcurrencyLimitFilterContract.FilterName] = json => ConcurrencyLimitConfigJson.TryParse(json, out _, out var e) ? null : e,
        [FaultFilterContract.FilterName] = json => FaultConfigJson.TryParse(json, out _, out var e) ? null : e,
        [BandwidthLimitFilterContract.FilterName] = json => BandwidthLimitConfigJson.TryParse(json, out _, out var e) ? null : e,
        [ExtAuthFilterContract.FilterName] = json => ExtAuthConfigJson.TryParse(json, out _, out var e) ? null : e,
        [AuthFilterContract.FilterName] = json => AuthConfigJson.TryParse(json, AuthConfigLevel.Listener, out _, out var e) ? null : e,
    };

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    private static partial Regex ModuleName();

    [Fact]
    public void TheEnvoyProxyRegistersTheModuleWhereTheImageInstallsIt()
    {
        var proxy = Assert.Single(Documents(), d => Kind(d) == "EnvoyProxy");
        var installed = InstalledModulePath();
        var modules = proxy["spec"]!["dynamicModules"]!.AsArray().Select(m => m!.AsObject()).ToList();

        Assert.InRange(modules.Count, 1, 16);
        Assert.Equal(modules.Count, modules.Select(m => (string?)m["name"]).Distinct().Count());
        foreach (var module in modules)
        {
            var name = (string)module["name"]!;
            Assert.Matches(ModuleName(), name);
            Assert.True((bool?)module["doNotClose"] == true, $"{name}: doNotClose must be true (the module keeps state across configuration updates)");
            Assert.Equal("Local", (string?)module["source"]!["type"]);
            Assert.Equal(installed, (string?)module["source"]!["local"]!["path"]);
        }

        Assert.Equal("envoyext/envoy:dev", (string?)proxy["spec"]!["provider"]!["kubernetes"]!["envoyDeployment"]!["container"]!["image"]);
        var gateway = Assert.Single(Documents(), d => Kind(d) == "Gateway");
        Assert.Equal("envoyext", (string?)gateway["spec"]!["infrastructure"]!["parametersRef"]!["name"]);
    }

    [Fact]
    public void EveryPolicyNamesARegisteredModuleAnExistingRouteAndAConfigItsFilterAccepts()
    {
        var documents = Documents();
        var registered = documents.Where(d => Kind(d) == "EnvoyProxy")
            .SelectMany(p => p["spec"]!["dynamicModules"]!.AsArray())
            .Select(m => (string)m!["name"]!)
            .ToHashSet(StringComparer.Ordinal);
        var routes = documents.Where(d => Kind(d) == "HTTPRoute").Select(r => (string)r["metadata"]!["name"]!).ToHashSet(StringComparer.Ordinal);
        var policies = documents.Where(d => Kind(d) == "EnvoyExtensionPolicy").ToList();
        Assert.NotEmpty(policies);

        // What each registered name carries on the one listener of the example's Gateway.
        var perName = new Dictionary<string, (string Policy, string Settings)>(StringComparer.Ordinal);
        var filtersUsed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            var policyName = (string)policy["metadata"]!["name"]!;
            foreach (var target in policy["spec"]!["targetRefs"]!.AsArray())
            {
                Assert.Equal("HTTPRoute", (string?)target!["kind"]);
                Assert.Contains((string)target["name"]!, routes);
            }

            foreach (var entry in policy["spec"]!["dynamicModule"]!.AsArray().Select(e => e!.AsObject()))
            {
                var name = (string)entry["name"]!;
                var filter = (string?)entry["filterName"] ?? "";
                var config = entry["config"]!.ToJsonString();
                Assert.True(registered.Contains(name), $"{policyName}: module {name} is not registered in the EnvoyProxy");
                Assert.True(Contracts.TryGetValue(filter, out var parse), $"{policyName}: {filter} is not one of our filters");
                var error = parse(config);
                Assert.True(error is null, $"{policyName}: {filter} config rejected: {error}");
                filtersUsed.Add(filter);

                var settings = filter + " " + config;
                if (perName.TryGetValue(name, out var first))
                {
                    Assert.True(first.Settings == settings,
                        $"{policyName} and {first.Policy} both use {name} on one listener with different settings: Envoy Gateway would give both the first one's");
                }
                else
                {
                    perName[name] = (policyName, settings);
                }
            }
        }

        Assert.Equal(["concurrency_limit", "fault", "rate_limit"], filtersUsed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheConfigCheckRejectsABrokenConfigNamingTheField()
    {
        var policy = Documents().First(d => Kind(d) == "EnvoyExtensionPolicy" && (string?)d["metadata"]!["name"] == "api-limits");
        var rateLimit = policy["spec"]!["dynamicModule"]!.AsArray().Single(e => (string?)e!["filterName"] == "rate_limit")!;
        var broken = rateLimit["config"]!.DeepClone();
        broken["rules"]![0]!["limit"]!["requests"] = 0;

        var error = Contracts["rate_limit"](broken.ToJsonString());

        Assert.NotNull(error);
        Assert.Contains("rules[0].limit.requests", error, StringComparison.Ordinal);
    }

    /// <summary>The destination of the line of deploy/envoy/Dockerfile that copies libenvoyext.so into the image.</summary>
    private static string InstalledModulePath()
    {
        var copy = File.ReadLines(Path.Combine(RepoPaths.Root, "deploy", "envoy", "Dockerfile"))
            .Single(l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Contains("libenvoyext.so", StringComparison.Ordinal));
        return copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
    }

    private static string? Kind(JsonObject document) => (string?)document["kind"];

    private static List<JsonObject> Documents()
    {
        var documents = new List<JsonObject>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var root in YamlTreeBuilder.Documents(File.ReadAllText(file), 0, new StrongBox<int>(0)))
            {
                if (root is not null && YamlToJson.Convert(root) is JsonObject document)
                {
                    documents.Add(document);
                }
            }
        }

        return documents;
    }
}
