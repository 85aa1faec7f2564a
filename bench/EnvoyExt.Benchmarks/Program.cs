using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace EnvoyExt.Benchmarks;

/// <summary>
/// Entry point: pick benchmarks with BenchmarkDotNet's usual arguments, e.g.
/// <c>dotnet run -c Release --project bench/EnvoyExt.Benchmarks -- --filter '*RateLimit*' --job short</c>.
/// </summary>
public static class Program
{
    // Each job builds its own copy of this project; on a loaded 2-core machine that can take longer than
    // BenchmarkDotNet's default two minutes.
    public static int Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)));
        return 0;
    }
}
