using BenchmarkDotNet.Running;

namespace EnvoyExt.Benchmarks;

/// <summary>
/// Entry point: pick benchmarks with BenchmarkDotNet's usual arguments, e.g.
/// <c>dotnet run -c Release --project bench/EnvoyExt.Benchmarks -- --filter '*RateLimit*' --job short</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
