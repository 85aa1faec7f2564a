using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// An HTTP authorization service on Kestrel (127.0.0.1, ephemeral port, HTTP/1.1) whose answer is picked by
/// the check's path, so one server serves every case: <c>/allow</c> 200 with <c>x-auth-user</c>, <c>/deny</c>
/// 401 with a challenge and a body, <c>/error</c> 503, <c>/slow</c> 200 after two seconds, <c>/huge</c> 200
/// with a 9 KiB <c>x-auth-user</c>. Every check's path, headers and body are recorded.
/// </summary>
public sealed class HttpAuthServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SeenCheck> _seen = new();

    public HttpAuthServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(AnswerAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Urls.First();
        Address = new Uri(address).Authority;
    }

    /// <summary>"127.0.0.1:port", the form the scenario's clusters map takes.</summary>
    public string Address { get; }

    /// <summary>The checks received so far.</summary>
    public IReadOnlyList<SeenCheck> Seen => [.. _seen];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        string body = await reader.ReadToEndAsync();
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        string path = request.Path + request.QueryString;
        if (path != "/warm-up")
        {
            _seen.Enqueue(new SeenCheck(request.Method, path, headers, body));
        }

        var response = context.Response;
        if (path == "/warm-up")
        {
            response.StatusCode = 204;
            return;
        }

        if (path.Contains("/allow", StringComparison.Ordinal))
        {
            response.Headers["x-auth-user"] = "alice";
            response.Headers["x-not-listed"] = "1";
            response.StatusCode = 200;
        }
        else if (path.Contains("/deny", StringComparison.Ordinal))
        {
            response.StatusCode = 401;
            response.Headers.WWWAuthenticate = "Bearer realm=\"shop\"";
            await response.WriteAsync("no entry");
        }
        else if (path.Contains("/error", StringComparison.Ordinal))
        {
            response.StatusCode = 503;
        }
        else if (path.Contains("/slow", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            response.StatusCode = 200;
        }
        else if (path.Contains("/huge", StringComparison.Ordinal))
        {
            response.Headers["x-auth-user"] = new string('a', 9 * 1024);
            response.StatusCode = 200;
        }
        else
        {
            response.StatusCode = 404;
        }
    }
}

/// <summary>One check the server received.</summary>
public sealed record SeenCheck(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
