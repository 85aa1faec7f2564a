using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace EnvoyExt.Benchmarks;

/// <summary>
/// Entry point: pick benchmarks with BenchmarkDotNet's usual arguments, e.g.
/// <c>dotnet run -c Release --project bench/EnvoyExt.Benchmarks -- --filter '*RateLimit*' --job short</c>;
/// <c>-- global-throughput</c> runs <see cref="RateLimit.GlobalThroughput"/> instead.
/// </summary>
public static class Program
{
    // Each job builds its own copy of this project; on a loaded 2-core machine that can take longer than
    // BenchmarkDotNet's default two minutes.
    public static int Main(string[] args)
    {
        // Not a BenchmarkDotNet run: requests/s and p99 at 2 workers need per-request samples on two threads.
        if (args.Length > 0 && args[0] == RateLimit.GlobalThroughput.Command)
        {
            return RateLimit.GlobalThroughput.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)));
        return 0;
    }
}
