using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.Controller;

/// <summary>`translate --config-dir &lt;dir&gt;`: the xDS resources per Gateway as JSON on stdout, without serving.</summary>
internal static class TranslateCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--config-dir" };

    public static int Run(CommandLine args)
    {
        var folder = args.RequireDirectory("--config-dir");
        var resources = StandaloneProvider.ReadFolder(folder);
        foreach (var problem in resources.Problems)
        {
            Console.Error.WriteLine($"warning: {problem}");
        }
        var result = GatewayApiTranslator.Translate(resources);
        Console.Out.Write(XdsJson.ToIndentedString(XdsJson.ToNode(XdsTranslator.Translate(result.Ir))));
        return 0;
    }
}
