using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.Controller;

/// <summary>
/// `status --config-dir &lt;dir&gt;` computes the status a folder would get; `status --admin &lt;url&gt;`
/// prints what a running controller reports (including proxies' NACKs).
/// </summary>
internal static class StatusCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--config-dir", "--admin" };

    public static async Task<int> RunAsync(CommandLine args)
    {
        var admin = args.Get("--admin");
        if (admin is not null)
        {
            return await FromAdminAsync(admin);
        }
        if (args.Get("--config-dir") is null)
        {
            throw new UsageException("status: give --config-dir <dir> or --admin <url>");
        }
        var folder = args.RequireDirectory("--config-dir");
        var resources = StandaloneProvider.ReadFolder(folder);
        var result = GatewayApiTranslator.Translate(resources);
        Console.Out.Write(XdsJson.ToIndentedString(ControllerPipeline.StatusDocument(result, resources, 1)));
        return resources.Problems.Count == 0 ? 0 : 1;
    }

    private static async Task<int> FromAdminAsync(string admin)
    {
        if (!Uri.TryCreate(admin, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--admin: expected an http(s) URL such as http://127.0.0.1:19000, got \"{admin}\"");
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var body = await http.GetStringAsync(new Uri(baseUri, "/status"));
            Console.Out.Write(body);
            return 0;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: --admin {admin}: {e.Message}");
            return 1;
        }
    }
}
