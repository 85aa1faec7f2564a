namespace EnvoyExt.Controller;

/// <summary>
/// "&lt;command&gt; --flag value ..." parsed into a command name and flags, with errors that name the
/// flag. Small on purpose: three commands and a handful of flags do not need a parser package.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _flags;

    private CommandLine(string command, Dictionary<string, string> flags)
    {
        Command = command;
        _flags = flags;
    }

    public string Command { get; }

    public static CommandLine Parse(string[] args, IReadOnlySet<string> knownFlags)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new UsageException("missing command (serve, translate or status)");
        }
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var flag = args[i];
            if (!knownFlags.Contains(flag))
            {
                throw new UsageException($"{flag}: unknown flag for '{args[0]}'");
            }
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"{flag}: missing value");
            }
            flags[flag] = args[++i];
        }
        return new CommandLine(args[0], flags);
    }

    public string? Get(string flag) => _flags.GetValueOrDefault(flag);

    public string Require(string flag) => Get(flag) ?? throw new UsageException($"{flag}: required for '{Command}'");

    /// <summary>An existing directory given by <paramref name="flag"/>.</summary>
    public string RequireDirectory(string flag)
    {
        var path = Require(flag);
        if (!Directory.Exists(path))
        {
            throw new UsageException($"{flag}: directory not found: {path}");
        }
        return Path.GetFullPath(path);
    }
}

/// <summary>Bad command line: printed with the usage text, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
