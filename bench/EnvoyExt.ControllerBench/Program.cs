using EnvoyExt.ControllerBench;

// envoyext-controller-bench: see BenchCommand. Exit codes: 0 done, 1 failed, 2 bad command line.
const string Usage = """
    usage:
      envoyext-controller-bench [--routes 100,1000,10000] [--repeat 5] [--controller <envoyext-controller.dll or executable>]
      envoyext-controller-bench --kubernetes [--routes 1000,10000] [--repeat 5] [--controller <...>]
    """;

try
{
    return await BenchCommand.RunAsync(BenchArguments.Parse(args));
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
