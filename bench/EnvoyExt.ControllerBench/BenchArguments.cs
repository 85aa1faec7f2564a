namespace EnvoyExt.ControllerBench;

/// <summary>"--flag value" pairs of the bench command line; unknown flags and missing values are errors.</summary>
internal sealed class BenchArguments
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "--routes", "--repeat", "--controller", "--measure-folder" };

    /// <summary>Flags that take no value.</summary>
    private static readonly HashSet<string> Switches = new(StringComparer.Ordinal) { "--kubernetes" };

    private readonly Dictionary<string, string> _flags;

    private BenchArguments(Dictionary<string, string> flags) => _flags = flags;

    public static BenchArguments Parse(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (Switches.Contains(args[i]))
            {
                flags[args[i]] = "";
                continue;
            }

            if (!Known.Contains(args[i]))
            {
                throw new UsageException($"{args[i]}: unknown flag");
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"{args[i]}: missing value");
            }

            flags[args[i]] = args[++i];
        }

        return new BenchArguments(flags);
    }

    public string? Get(string flag) => _flags.GetValueOrDefault(flag);

    public bool Has(string flag) => _flags.ContainsKey(flag);
}

/// <summary>Bad command line: printed with the usage text, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
