using System.Text.Json;
using System.Text.Json.Nodes;
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
    /// <summary>The status of 10,000 routes is ~6 MiB; a larger answer is not a controller's.</summary>
    private const long MaxStatusBytes = 256L * 1024 * 1024;

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
        var document = ControllerPipeline.StatusDocument(result, resources, 1);
        Console.Out.Write(XdsJson.ToIndentedString(document));
        return Verdict(document);
    }

    /// <summary>
    /// 0 only when nothing needs attention: no file problems, every Gateway, listener, route parent
    /// and policy ancestor Accepted (a policy that is Invalid or TargetNotFound is Accepted=False),
    /// and, for a running controller, no open NACK and no translation error. The first few reasons
    /// go to stderr so a script sees why.
    /// </summary>
    private static int Verdict(JsonNode document)
    {
        var collected = new List<string>();
        Collect(document, "", collected, 0);
        var reasons = collected.Distinct(StringComparer.Ordinal).ToList();
        foreach (var reason in reasons.Take(MaxReasonsPrinted))
        {
            Console.Error.WriteLine($"status: {reason}");
        }
        if (reasons.Count > MaxReasonsPrinted)
        {
            Console.Error.WriteLine($"status: {reasons.Count - MaxReasonsPrinted} more");
        }
        return reasons.Count == 0 ? 0 : 1;
    }

    private const int MaxReasonsPrinted = 20;

    private static void Collect(JsonNode? node, string path, List<string> reasons, int depth)
    {
        if (depth > 64)
        {
            return;
        }
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"]?.GetValueKind() == JsonValueKind.String && (string?)obj["type"] == "Accepted"
                    && obj["status"]?.GetValueKind() == JsonValueKind.String && (string?)obj["status"] != "True")
                {
                    reasons.Add($"{path}: Accepted={(string?)obj["status"]} ({Text(obj["reason"])}): {Text(obj["message"])}");
                }
                foreach (var (key, value) in obj)
                {
                    if (key is "problems" or "nacks" && value is JsonArray { Count: > 0 } list)
                    {
                        reasons.AddRange(list.Select(p => $"{key}: {Text(p)}"));
                    }
                    else if (key == "lastError" && value is not null)
                    {
                        reasons.Add($"lastError: {Text(value)}");
                    }
                    else
                    {
                        Collect(value, path.Length == 0 ? key : $"{path}.{key}{Name(value)}", reasons, depth + 1);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, path + Name(item), reasons, depth + 1);
                }
                break;
        }
    }

    /// <summary>" default/x" for status entries that carry their namespace and name, so reasons say which resource.</summary>
    private static string Name(JsonNode? node) =>
        node is JsonObject obj && obj["name"]?.GetValueKind() == JsonValueKind.String
            ? obj["namespace"]?.GetValueKind() == JsonValueKind.String ? $"[{(string?)obj["namespace"]}/{(string?)obj["name"]}]" : $"[{(string?)obj["name"]}]"
            : "";

    private static string Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? (string?)node ?? "" : node?.ToJsonString() ?? "";

    private static async Task<int> FromAdminAsync(string admin)
    {
        if (!Uri.TryCreate(admin, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--admin: expected an http(s) URL such as http://127.0.0.1:19000, got \"{admin}\"");
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = MaxStatusBytes };
        try
        {
            var body = await http.GetStringAsync(new Uri(baseUri, "/status"));
            Console.Out.Write(body);
            return Verdict(JsonNode.Parse(body) ?? new JsonObject());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            Console.Error.WriteLine($"error: --admin {admin}: {e.Message}");
            return 1;
        }
    }
}
