using EnvoyExt.Controller;

// envoyext-controller: the EnvoyExt control plane (Gateway API + RateLimitPolicy -> xDS over ADS).
const string Usage = """
    usage:
      envoyext-controller serve (--config-dir <dir> | --kubeconfig <file>|in-cluster [--namespace <ns>]) [--xds-address 127.0.0.1:18000] [--admin-address 127.0.0.1:19000]
                                [--xds-tls-cert <pem> --xds-tls-key <pem>]
      envoyext-controller translate --config-dir <dir>      print the xDS resources per Gateway as JSON
      envoyext-controller status --config-dir <dir>         print the Gateway API status of a folder
      envoyext-controller status --admin <url>              print a running controller's status
    """;

try
{
    var command = args.Length > 0 ? args[0] : "";
    return command switch
    {
        "serve" => await ServeCommand.RunAsync(CommandLine.Parse(args, ServeCommand.Flags)),
        "translate" => TranslateCommand.Run(CommandLine.Parse(args, TranslateCommand.Flags)),
        "status" => await StatusCommand.RunAsync(CommandLine.Parse(args, StatusCommand.Flags)),
        "-h" or "--help" or "help" => PrintUsage(Console.Out, 0),
        _ => throw new UsageException(command.Length == 0 ? "missing command" : $"unknown command '{command}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return PrintUsage(Console.Error, 2);
}
catch (ArgumentException e)
{
    // Bad flag values (addresses, TLS files) detected while starting.
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (IOException e)
{
    // E.g. the xDS or admin port is already in use.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
catch (Exception e)
{
    // No input may crash a command: anything unexpected is one line and exit code 1, never a stack dump.
    Console.Error.WriteLine($"error: internal: {e.GetType().Name}: {e.Message}");
    return 1;
}

static int PrintUsage(TextWriter writer, int exitCode)
{
    writer.WriteLine(Usage);
    return exitCode;
}
