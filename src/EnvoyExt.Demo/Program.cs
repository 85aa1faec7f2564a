using Envoy.Config.Core.V3;
using EnvoyExt.Demo;

// envoyext-demo: fetch a node's configuration from the controller over ADS, then send a burst of
// requests through libenvoyext.so in the ABI host with exactly that configuration.
var options = DemoOptions.Parse(args);
var node = new Node { Id = "envoyext-demo", Cluster = options.NodeCluster };
var fetched = await new AdsConfigFetcher(options.XdsAddress, node).FetchAsync(TimeSpan.FromSeconds(20));
Console.WriteLine(
    $"xDS: node cluster '{options.NodeCluster}' received {fetched.Listeners.Count} listener(s), " +
    $"{fetched.Routes.Count} route table(s), {fetched.ClusterNames.Count} cluster(s)");

var scenario = HostScenarioBuilder.Build(fetched, options.Workers);
scenario["requests"] = BurstRequests.Create(options.Path, options.Users, options.Requests);
Console.WriteLine(
    $"burst: {options.Requests} x GET {options.Path} per x-user ({string.Join(", ", options.Users.Select(u => u ?? "none"))}) " +
    $"on {options.Workers} worker(s)");
var result = await HostRun.RunAsync(options.HostBinary, options.ModuleDir, scenario);
result["scenario_requests"] = scenario["requests"]!.DeepClone();
BurstTable.Print(result, Console.Out);
return 0;
