using System.Diagnostics;
using System.Globalization;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// Requests per second and per-request latency (p50, p99) of the rate-limit decision at 2 workers on one
/// bucket: a Local rule (the baseline), the same rule Global with leased tokens in the bucket (this filter's
/// design), and one Redis round trip per request (the separate rate-limit-service design, the lease script
/// on a redis-server on loopback). Rounds interleave the three so a loaded machine slows them alike;
/// the ratios are taken per round.
/// <c>dotnet run -c Release --project bench/EnvoyExt.Benchmarks -- global-throughput [rounds] [decisions] [round-trips]</c>
/// (per worker and round; defaults 5, 1,000,000 and 20,000).
/// </summary>
internal static class GlobalThroughput
{
    public const string Command = "global-throughput";
    private const int Workers = 2;

    private const string Rule = """
        "clientSelectors":[{"headers":[{"name":"x-user","type":"Exact","value":"alice"}]}],"limit":{"requests":2147483647,"unit":"Year"}
        """;

    public static int Run(string[] args)
    {
        int rounds = Arg(args, 1, 5);
        int decisions = Arg(args, 2, 1_000_000);
        int roundTrips = Arg(args, 3, 20_000);
        var local = BenchPolicies.Compile("""{"rules":[{"name":"r",""" + Rule + "}]}");
        var global = BenchPolicies.Compile("""{"global":{"redis":{"addresses":["127.0.0.1:1"]}},"rules":[{"name":"r","type":"Global",""" + Rule + "}]}");
        var rule = global.Rules[0].Global!;
        rule.Shared.Publish(rule.WindowOf(rule.NowUnixMs()), int.MaxValue, exhausted: false);
        using var redis = new BenchRedis();

        var modes = new (string Name, int PerWorker, Func<Func<bool>> NewWorker)[]
        {
            ("Local rule", decisions, () => Decider(local, global: false)),
            ("Global rule, leased tokens available", decisions, () => Decider(global, global: true)),
            ("Redis round trip per request", roundTrips, () => redis.RoundTrip),
        };
        var results = modes.Select(_ => new List<Measurement>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < modes.Length; k++)
            {
                int m = (k + round) % modes.Length;
                results[m].Add(Measure(modes[m].NewWorker, modes[m].PerWorker));
            }
        }

        Console.WriteLine($"global-throughput: {Workers} workers on one bucket, {rounds} rounds, load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| decision | requests/s | p50 ns | p99 ns |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        for (int m = 0; m < modes.Length; m++)
        {
            Console.WriteLine($"| {modes[m].Name} | {Median(results[m].Select(r => r.PerSecond)):N0} | " +
                $"{Median(results[m].Select(r => r.P50Ns)):N0} | {Median(results[m].Select(r => r.P99Ns)):N0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Global/Local requests/s (median of per-round ratios): {Ratio(results[1], results[0], r => r.PerSecond):F2}");
        Console.WriteLine($"Global/round trip requests/s: {Ratio(results[1], results[2], r => r.PerSecond):F0}x");
        Console.WriteLine($"round trip/Global p99: {Ratio(results[2], results[1], r => r.P99Ns):F0}x");
        return 0;
    }

    private static Func<bool> Decider(CompiledPolicy policy, bool global)
    {
        var request = new BenchRequest("GET", "/api/orders", "10.20.30.40:51234", (":authority", "example.com"), ("x-user", "alice"));
        var results = new RuleResult[1];
        return () =>
        {
            var progress = default(DecisionProgress);
            var decision = policy.Decide(in request, results, ref progress);
            if (global && progress.Pending is not null)
            {
                throw new InvalidOperationException("the seeded global bucket asked for a lease");
            }
            return decision.Limited;
        };
    }

    private static Measurement Measure(Func<Func<bool>> newWorker, int perWorker)
    {
        var latencies = new long[Workers][];
        using var start = new Barrier(Workers + 1);
        var threads = new Thread[Workers];
        for (int w = 0; w < Workers; w++)
        {
            var samples = latencies[w] = new long[perWorker];
            var request = newWorker();
            threads[w] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < samples.Length; i++)
                {
                    long begin = Stopwatch.GetTimestamp();
                    if (request())
                    {
                        throw new InvalidOperationException("a benchmark request was limited");
                    }
                    samples[i] = Stopwatch.GetTimestamp() - begin;
                }
            });
            threads[w].Start();
        }
        start.SignalAndWait();
        long wallStart = Stopwatch.GetTimestamp();
        foreach (var thread in threads)
        {
            thread.Join();
        }
        double wallSeconds = Stopwatch.GetElapsedTime(wallStart).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        return new Measurement(all.Length / wallSeconds, all[all.Length / 2] * nsPerTick, all[(int)(all.Length * 0.99)] * nsPerTick);
    }

    private static double Ratio(List<Measurement> a, List<Measurement> b, Func<Measurement, double> value) =>
        Median(a.Zip(b, (x, y) => value(x) / value(y)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private readonly record struct Measurement(double PerSecond, double P50Ns, double P99Ns);
}
