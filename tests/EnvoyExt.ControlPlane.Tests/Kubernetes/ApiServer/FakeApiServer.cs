using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Resources.Yaml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

/// <summary>
/// An in-process Kubernetes API server double on 127.0.0.1 (plain HTTP, no auth) that speaks the
/// wire protocol real clients use: discovery, list with resourceVersion, chunked watch streams with
/// bookmarks and 410 Gone, create/update/delete, the status subresource, JSON merge patch and
/// server-side apply. `kubectl` and KubernetesClient talk to it unmodified (KubeconfigFile).
/// Not modelled: authn/authz, admission, CRD schema validation, field ownership of server-side apply
/// (an apply merges into the object), paging (lists are returned whole).
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ResourceType> _types = [.. BuiltInTypes.All()];
    private readonly Lock _typesLock = new();
    private readonly Lock _countsLock = new();
    private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal);

    private FakeApiServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; private set; }

    public ObjectStore Store { get; } = new();

    /// <summary>How often open watches that asked for them get a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeApiServer(app, new Uri("http://127.0.0.1"));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        foreach (var ns in new[] { "default", "kube-system" })
        {
            server.Store.Create(server.Find("", "v1", "namespaces")!, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        return server;
    }

    /// <summary>Creates every object of a YAML stream (documents separated by "---"), CRDs included, as kubectl create would.</summary>
    public void CreateFromYaml(string yaml)
    {
        foreach (var root in YamlTreeBuilder.Documents(yaml, 0, new System.Runtime.CompilerServices.StrongBox<int>(0)))
        {
            if (root is null || YamlToJson.Convert(root) is not JsonObject obj)
            {
                continue;
            }

            var apiVersion = (string?)obj["apiVersion"] ?? "";
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
            var type = AllTypes().First(t => t.Group == group && t.Version == version && t.Kind == (string?)obj["kind"]);
            var ns = type.Namespaced ? (string?)Meta(obj)["namespace"] ?? "default" : "";
            OnCreated(type, Store.Create(type, ns, obj));
        }
    }

    /// <summary>Requests seen, by "VERB kind[/status]" (e.g. "PUT Gateway/status", "WATCH HTTPRoute").</summary>
    public int Requests(string what)
    {
        lock (_countsLock)
        {
            return _requests.GetValueOrDefault(what);
        }
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (_typesLock)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        }
    }

    public ResourceType Type(string kind) => AllTypes().First(t => t.Kind == kind);

    private List<ResourceType> AllTypes()
    {
        lock (_typesLock)
        {
            return [.. _types];
        }
    }

    public async ValueTask DisposeAsync()
    {
        Store.DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context);
        }
        catch (ApiException e)
        {
            await WriteStatusAsync(context, e.Code, e.Reason, e.Message);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            await WriteStatusAsync(context, 400, "BadRequest", e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-envoyext-double", ["platform"] = "linux/amd64" });
                return;
            case ["api"]:
                await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = Address.Authority }) });
                return;
            case ["api", var version]:
                await WriteResourceListAsync(context, "", version);
                return;
            case ["apis"]:
                await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray([.. Groups().Select(GroupJson)]) });
                return;
            case ["apis", var group]:
                await WriteGroupAsync(context, group);
                return;
            case ["apis", var group, var version]:
                await WriteResourceListAsync(context, group, version);
                return;
            case ["api", var version, .. var rest]:
                await HandleResourceAsync(context, "", version, rest);
                return;
            case ["apis", var group, var version, .. var rest]:
                await HandleResourceAsync(context, group, version, rest);
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(context, 200, OpenApiV3.Root(AllTypes()));
                return;
            case ["openapi", "v3", .. var gv]:
                await WriteJsonAsync(context, 200, OpenApiV3.GroupVersion(AllTypes(), string.Join('/', gv)));
                return;
            default:
                // /openapi/v2 and anything else: kubectl takes what it needs from OpenAPI v3.
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
    }

    private IEnumerable<IGrouping<string, ResourceType>> Groups() =>
        AllTypes().Where(t => t.Group.Length > 0).GroupBy(t => t.Group).OrderBy(g => g.Key, StringComparer.Ordinal);

    private static JsonObject GroupJson(IGrouping<string, ResourceType> group)
    {
        var versions = group.Select(t => t.Version).Distinct().OrderBy(v => v == "v1" ? 0 : 1).ThenBy(v => v, StringComparer.Ordinal).ToList();
        JsonObject Version(string v) => new() { ["groupVersion"] = group.Key + "/" + v, ["version"] = v };
        return new JsonObject
        {
            ["name"] = group.Key,
            ["versions"] = new JsonArray([.. versions.Select(Version)]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private async Task WriteGroupAsync(HttpContext context, string group)
    {
        var found = Groups().FirstOrDefault(g => g.Key == group) ?? throw new ApiException(404, "NotFound", $"group {group} not found");
        var json = GroupJson(found);
        json["kind"] = "APIGroup";
        json["apiVersion"] = "v1";
        await WriteJsonAsync(context, 200, json);
    }

    private async Task WriteResourceListAsync(HttpContext context, string group, string version)
    {
        var types = AllTypes().Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            throw new ApiException(404, "NotFound", $"{group}/{version} not served");
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
            });
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        });
    }

    private async Task HandleResourceAsync(HttpContext context, string group, string version, string[] rest)
    {
        // namespaces/{ns}/{plural}[/{name}[/status]] or {plural}[/{name}[/status]]; "namespaces/{name}[/status]" is a Namespace.
        string? ns = null;
        if (rest is ["namespaces", _, var third, ..] && third != "status" && third != "finalize")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3 || (rest.Length == 3 && rest[2] != "status"))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        var type = Find(group, version, rest[0]) ?? throw new ApiException(404, "NotFound", $"the server could not find the requested resource ({rest[0]}.{group}/{version})");
        var name = rest.Length > 1 ? rest[1] : null;
        var status = rest.Length == 3;
        if (type.Namespaced && name is not null && ns is null)
        {
            throw new ApiException(404, "NotFound", "a namespaced resource needs its namespace in the path");
        }

        var storeNs = type.Namespaced ? ns ?? "" : "";
        var method = context.Request.Method;
        var query = context.Request.Query;
        var watch = query["watch"] is var w && (w == "1" || w == "true");
        Count((watch ? "WATCH" : name is null && method == "GET" ? "LIST" : method) + " " + type.Kind + (status ? "/status" : ""));

        switch (method)
        {
            case "GET" when name is null && watch:
                await StreamWatchAsync(context, type, type.Namespaced ? ns : null);
                return;
            case "GET" when name is null:
                await WriteListAsync(context, type, type.Namespaced ? ns : null);
                return;
            case "GET":
                await WriteJsonAsync(context, 200, Present(type, Store.Get(type, storeNs, name!) ?? throw NotFound(type, name!)));
                return;
            case "POST" when name is null:
                {
                    var body = await ReadObjectAsync(context);
                    CheckNamespace(type, ns, body);
                    var created = Store.Create(type, storeNs, body);
                    OnCreated(type, created);
                    await WriteJsonAsync(context, 201, Present(type, created));
                    return;
                }

            case "PUT" when name is not null:
                {
                    var body = await ReadObjectAsync(context);
                    var updated = Store.Update(type, storeNs, name, status, _ => body);
                    await WriteJsonAsync(context, 200, Present(type, updated));
                    return;
                }

            case "PATCH" when name is not null:
                await PatchAsync(context, type, storeNs, name, status);
                return;
            case "DELETE" when name is not null:
                await WriteJsonAsync(context, 200, Present(type, Store.Delete(type, storeNs, name)));
                return;
            default:
                throw new ApiException(405, "MethodNotAllowed", $"{method} is not supported on this path");
        }
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, string ns, string name, bool status)
    {
        var contentType = context.Request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim();
        var text = await ReadTextAsync(context);
        JsonObject result;
        switch (mediaType)
        {
            case "application/merge-patch+json":
            case "application/strategic-merge-patch+json":
                {
                    // Strategic merge differs from JSON merge only for lists with merge keys; the
                    // double treats it as JSON merge (kubectl uses it for built-in kinds only).
                    var patch = JsonNode.Parse(text) as JsonObject ?? throw new ApiException(400, "BadRequest", "a merge patch must be a JSON object");
                    result = Store.Update(type, ns, name, status, current => (JsonObject)JsonMergePatch.Apply(current, patch)!);
                    break;
                }

            case "application/apply-patch+yaml":
            case "application/apply-patch+cbor":
                {
                    if (string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
                    {
                        throw new ApiException(422, "Invalid", "fieldManager: Required value: is required for apply patch");
                    }

                    var applied = ParseYamlOrJson(text);
                    Meta(applied).Remove("resourceVersion");
                    var created = false;
                    result = Store.Update(type, ns, name, status, current =>
                    {
                        created = current["apiVersion"] is null;
                        return (JsonObject)JsonMergePatch.Apply(current, StripNulls(applied))!;
                    }, createIfMissing: true);
                    if (created)
                    {
                        OnCreated(type, result);
                        await WriteJsonAsync(context, 201, Present(type, result));
                        return;
                    }

                    break;
                }

            default:
                throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got {contentType})");
        }

        await WriteJsonAsync(context, 200, Present(type, result));
    }

    private static JsonObject StripNulls(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (value is null)
            {
                continue;
            }

            copy[key] = value is JsonObject child ? StripNulls(child) : value.DeepClone();
        }

        return copy;
    }

    /// <summary>A CRD makes its kind servable at once and reports itself Established, as the real server does.</summary>
    private void OnCreated(ResourceType type, JsonObject created)
    {
        if (type.Kind != "CustomResourceDefinition")
        {
            return;
        }

        var spec = created["spec"] as JsonObject ?? throw new ApiException(422, "Invalid", "spec: Required value");
        var group = (string?)spec["group"] ?? "";
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var namespaced = (string?)spec["scope"] == "Namespaced";
        lock (_typesLock)
        {
            foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var v = (string?)version["name"] ?? "";
                if (_types.Any(t => t.Group == group && t.Version == v && t.Plural == (string?)names["plural"]))
                {
                    continue;
                }

                var hasStatus = version["subresources"]?["status"] is not null;
                _types.Add(new ResourceType(group, v, (string?)names["plural"] ?? "", (string?)names["kind"] ?? "", namespaced, hasStatus));
            }
        }

        var name = (string?)Meta(created)["name"] ?? "";
        Store.Update(type, "", name, statusOnly: true, current =>
        {
            current["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts" },
                    new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted" }),
                ["acceptedNames"] = names.DeepClone(),
            };
            return current;
        });
    }

    private static void CheckNamespace(ResourceType type, string? pathNs, JsonObject body)
    {
        var bodyNs = (string?)Meta(body)["namespace"];
        if (type.Namespaced && pathNs is null)
        {
            throw new ApiException(404, "NotFound", "a namespaced resource is created under /namespaces/{namespace}/");
        }

        if (type.Namespaced && !string.IsNullOrEmpty(bodyNs) && bodyNs != pathNs)
        {
            throw new ApiException(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private async Task WriteListAsync(HttpContext context, ResourceType type, string? ns)
    {
        var (items, version) = Store.List(type, ns);
        var selected = items.Where(i => Selected(context.Request.Query, i)).Select(i => (JsonNode?)Present(type, i)).ToArray();
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = type.Kind + "List",
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(selected),
        });
    }

    /// <summary>
    /// A chunked stream of newline-separated JSON events. Starting from a resourceVersion replays
    /// what happened after it; one older than the kept history gets a 410 ERROR event (on a 200
    /// response, as the real server sends it) and the stream ends.
    /// </summary>
    private async Task StreamWatchAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var rvText = (string?)query["resourceVersion"];
        long? from = string.IsNullOrEmpty(rvText) || rvText == "0" ? null : long.Parse(rvText, CultureInfo.InvariantCulture);
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        using var subscription = Store.Watch(type, ns, from);
        if (subscription is null)
        {
            await WriteEventAsync(context, new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = StatusJson(410, "Expired", $"too old resource version: {from} ({Store.ResourceVersion})"),
            });
            return;
        }

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        ended.CancelAfter(timeout);
        var reader = subscription.Channel.Reader;
        try
        {
            while (true)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ended.Token);
                tick.CancelAfter(BookmarkInterval);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!ended.IsCancellationRequested)
                {
                    if (bookmarks)
                    {
                        await WriteEventAsync(context, new JsonObject
                        {
                            ["type"] = "BOOKMARK",
                            ["object"] = new JsonObject
                            {
                                ["kind"] = type.Kind,
                                ["apiVersion"] = type.ApiVersion,
                                ["metadata"] = new JsonObject { ["resourceVersion"] = Store.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
                            },
                        });
                    }

                    continue;
                }

                if (!more)
                {
                    return; // dropped by the test: the client sees the stream end
                }

                while (reader.TryRead(out var change))
                {
                    if (Selected(query, change.Object))
                    {
                        await WriteEventAsync(context, new JsonObject { ["type"] = change.Type, ["object"] = Present(type, change.Object) });
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed or the client went away: a normal end of a watch.
        }
    }

    private static async Task WriteEventAsync(HttpContext context, JsonObject change)
    {
        var bytes = Encoding.UTF8.GetBytes(change.ToJsonString() + "\n");
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>fieldSelector metadata.name/metadata.namespace and equality labelSelectors, the forms kubectl and controllers send.</summary>
    private static bool Selected(IQueryCollection query, JsonObject obj)
    {
        var meta = Meta(obj);
        foreach (var term in ((string?)query["fieldSelector"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (field, value, negate) = Term(term);
            var actual = field switch
            {
                "metadata.name" => (string?)meta["name"],
                "metadata.namespace" => (string?)meta["namespace"],
                "type" => (string?)obj["type"],
                _ => throw new ApiException(400, "BadRequest", $"field label not supported: {field}"),
            };
            if ((actual == value) == negate)
            {
                return false;
            }
        }

        foreach (var term in ((string?)query["labelSelector"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (label, value, negate) = Term(term);
            var actual = (string?)meta["labels"]?[label];
            if ((actual == value) == negate)
            {
                return false;
            }
        }

        return true;
    }

    private static (string Key, string Value, bool Negate) Term(string term)
    {
        var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            return (term[..notEqual], term[(notEqual + 2)..], true);
        }

        var equal = term.IndexOf('=', StringComparison.Ordinal);
        if (equal <= 0)
        {
            throw new ApiException(400, "BadRequest", $"unsupported selector term {term}");
        }

        var valueStart = term.Length > equal + 1 && term[equal + 1] == '=' ? equal + 2 : equal + 1;
        return (term[..equal], term[valueStart..], false);
    }

    /// <summary>The object as served at the requested version (all versions share one stored copy).</summary>
    private static JsonObject Present(ResourceType type, JsonObject obj)
    {
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        return obj;
    }

    private static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.Plural}{(type.Group.Length > 0 ? "." + type.Group : "")} \"{name}\" not found");

    private static JsonObject Meta(JsonObject obj) => ObjectStore.Meta(obj);

    private static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        JsonNode.Parse(await ReadTextAsync(context)) as JsonObject ?? throw new ApiException(400, "BadRequest", "the body must be a JSON object");

    /// <summary>Server-side apply bodies are YAML (kubectl sends JSON, which is YAML too).</summary>
    private static JsonObject ParseYamlOrJson(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new ApiException(400, "BadRequest", "the body must be an object");
        }

        var root = YamlTreeBuilder.Documents(text, 0, new System.Runtime.CompilerServices.StrongBox<int>(0)).FirstOrDefault();
        return (root is null ? null : YamlToJson.Convert(root)) as JsonObject ?? throw new ApiException(400, "BadRequest", "the body must be an object");
    }

    private void Count(string what)
    {
        lock (_countsLock)
        {
            _requests[what] = _requests.GetValueOrDefault(what) + 1;
        }
    }

    private static JsonObject StatusJson(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return WriteJsonAsync(context, code, StatusJson(code, reason, message));
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
