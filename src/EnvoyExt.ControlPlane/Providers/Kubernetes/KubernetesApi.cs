using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>A failed API request, with the HTTP code (410 Gone, 409 Conflict, 404 ...) for callers to act on.</summary>
public sealed class KubernetesApiException(HttpStatusCode code, string message) : Exception(message)
{
    public HttpStatusCode Code { get; } = code;
}

/// <summary>One watch event: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, with its object.</summary>
public sealed record RawWatchEvent(string Type, JsonElement Resource);

/// <summary>
/// The requests the provider, status writer and leader election make, as raw JSON over the
/// transport KubernetesClient configures (kubeconfig or in-cluster service account: server
/// address, TLS, credentials). Objects stay JSON documents (System.Text.Json, no reflection) and
/// are mapped by the same readers as files.
/// </summary>
public sealed class KubernetesApi : IDisposable
{
    private readonly k8s.Kubernetes _client;
    private readonly HttpClient _http;
    private readonly Uri _base;

    public KubernetesApi(string? kubeconfig)
    {
        var config = kubeconfig is null
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        // Watches are long requests; each call bounds itself with its own token or timeoutSeconds.
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        _client = new k8s.Kubernetes(config);
        _http = _client.HttpClient;
        _base = _client.BaseUri;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The largest response body (a list, an object) read into memory. A larger one fails the request
    /// with a message naming the path, and the informer keeps its last good state and retries with
    /// backoff, instead of the controller reading an unbounded body.
    /// </summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>
    /// The largest watch event (one line of the stream). The line is read into a buffer that never
    /// grows past this bound: a longer one fails the watch naming the kind once the bound is reached,
    /// before the rest of it is read.
    /// </summary>
    public int MaxWatchEventBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>A list: its items (kind and apiVersion filled in, lists may omit them) and the version to watch from.</summary>
    public async Task<(IReadOnlyList<JsonElement> Items, string ResourceVersion)> ListAsync(WatchedKind kind, string? ns, CancellationToken ct)
    {
        var query = kind.FieldSelector is null ? "" : "?fieldSelector=" + Uri.EscapeDataString(kind.FieldSelector);
        using var document = await GetJsonAsync(kind.CollectionPath(ns) + query, ct).ConfigureAwait(false);
        var root = document.RootElement;
        var version = root.GetProperty("metadata").TryGetProperty("resourceVersion", out var rv) ? rv.GetString() ?? "" : "";
        var items = new List<JsonElement>();
        if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                items.Add(WithKind(item, kind));
            }
        }

        return (items, version);
    }

    /// <summary>
    /// Streams watch events from <paramref name="resourceVersion"/> with bookmarks until the server
    /// ends the stream (timeout, restart) or <paramref name="ct"/> fires. A too-old version arrives
    /// as an ERROR event whose object is a Status with code 410.
    /// </summary>
    public async IAsyncEnumerable<RawWatchEvent> WatchAsync(WatchedKind kind, string? ns, string resourceVersion, TimeSpan timeout,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new StringBuilder("?watch=1&allowWatchBookmarks=true&resourceVersion=")
            .Append(Uri.EscapeDataString(resourceVersion))
            .Append("&timeoutSeconds=").Append((int)timeout.TotalSeconds);
        if (kind.FieldSelector is not null)
        {
            query.Append("&fieldSelector=").Append(Uri.EscapeDataString(kind.FieldSelector));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, kind.CollectionPath(ns) + query));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, ct).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var reader = new BoundedLineReader(stream, MaxWatchEventBytes);
        while (await ReadEventAsync(reader, kind, ct).ConfigureAwait(false) is { } line)
        {
            if (line.IsEmpty)
            {
                continue;
            }

            // The document reads the reader's buffer in place: it is done with before the next line is read.
            using var document = JsonDocument.Parse(line);
            var type = document.RootElement.GetProperty("type").GetString() ?? "";
            var obj = document.RootElement.GetProperty("object");
            yield return new RawWatchEvent(type, type is "ADDED" or "MODIFIED" or "DELETED" ? WithKind(obj, kind) : obj.Clone());
        }
    }

    private async Task<ReadOnlyMemory<byte>?> ReadEventAsync(BoundedLineReader reader, WatchedKind kind, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(ct).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            throw new KubernetesApiException(HttpStatusCode.RequestEntityTooLarge, $"watch event of {kind.Kind} larger than {MaxWatchEventBytes} bytes");
        }
    }

    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, ct).ConfigureAwait(false);
        return JsonDocument.Parse(await ReadBoundedAsync(response, "GET " + path, ct).ConfigureAwait(false));
    }

    private async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpResponseMessage response, string request, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > MaxResponseBytes)
        {
            throw TooLarge(request);
        }

        using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var body = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxResponseBytes)
            {
                throw TooLarge(request);
            }

            body.Write(chunk, 0, read);
        }

        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    private KubernetesApiException TooLarge(string request) =>
        new(HttpStatusCode.RequestEntityTooLarge, $"{request}: the response is larger than {MaxResponseBytes} bytes");

    /// <summary>PUT, POST or PATCH with a JSON body; returns the server's object.</summary>
    public async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, string json, string contentType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path))
        {
            Content = new StringContent(json, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, ct).ConfigureAwait(false);
        return JsonDocument.Parse(await ReadBoundedAsync(response, method + " " + path, ct).ConfigureAwait(false));
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var message = body;
        try
        {
            using var status = JsonDocument.Parse(body);
            if (status.RootElement.TryGetProperty("message", out var m))
            {
                message = m.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }

        var shown = message.Length > 512 ? message[..512] : message;
        throw new KubernetesApiException(response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {shown}");
    }

    /// <summary>The object with apiVersion and kind set (list items and some events leave them out), detached from its document.</summary>
    private static JsonElement WithKind(JsonElement obj, WatchedKind kind)
    {
        if (obj.TryGetProperty("kind", out _) && obj.TryGetProperty("apiVersion", out _))
        {
            return obj.Clone();
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", kind.ApiVersion);
            writer.WriteString("kind", kind.Kind);
            foreach (var property in obj.EnumerateObject())
            {
                if (property.Name is not ("apiVersion" or "kind"))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
