using System.Collections.Concurrent;
using System.Net;
using EnvoyExt.Filters.ExtAuth.Tests.Wire;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Struct = Google.Protobuf.WellKnownTypes.Struct;
using Value = Google.Protobuf.WellKnownTypes.Value;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>
/// An <c>envoy.service.auth.v3.Authorization</c> service on Grpc.AspNetCore (127.0.0.1, ephemeral port,
/// HTTP/2 with prior knowledge, as Envoy's gRPC clusters speak it). The answer is picked by the checked
/// request's path: <c>/allow</c> OK with header mutations, <c>/deny</c> a denial with status, headers and
/// body, <c>/error</c> the RPC fails with UNAVAILABLE, <c>/slow</c> OK after two seconds, <c>/crlf</c> OK
/// with a header value carrying CR/LF. Every CheckRequest is recorded.
/// </summary>
public sealed class GrpcAuthServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AuthorizationService _service = new();

    public GrpcAuthServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_service);
        _app = builder.Build();
        _app.MapGrpcService<AuthorizationService>();
        _app.StartAsync().GetAwaiter().GetResult();
        Address = new Uri(_app.Urls.First()).Authority;
    }

    /// <summary>"127.0.0.1:port".</summary>
    public string Address { get; }

    /// <summary>The scenario's cluster value: HTTP/2 with prior knowledge.</summary>
    public string ClusterSpec => $"h2c://{Address}";

    /// <summary>The checks received so far.</summary>
    public IReadOnlyList<CheckRequest> Seen => [.. _service.Seen];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class AuthorizationService : EnvoyExt.Filters.ExtAuth.Tests.Wire.Authorization.AuthorizationBase
    {
        public ConcurrentQueue<CheckRequest> Seen { get; } = new();

        public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
        {
            string path = request.Attributes?.Request?.Http?.Path ?? "";
            if (path != "/warm-up")
            {
                Seen.Enqueue(request);
            }
            if (path.StartsWith("/allow", StringComparison.Ordinal))
            {
                var ok = new OkHttpResponse();
                ok.Headers.Add(Header("x-auth-user", "alice", append: false));
                ok.Headers.Add(Header("x-auth-group", "admins", append: true));
                ok.HeadersToRemove.Add("authorization");
                return new CheckResponse { Status = new RpcStatus { Code = 0 }, OkResponse = ok };
            }
            if (path.StartsWith("/metadata", StringComparison.Ordinal))
            {
                var team = new Struct { Fields = { ["id"] = Value.ForNumber(7), ["name"] = Value.ForString("ops") } };
                var metadata = new Struct
                {
                    Fields =
                    {
                        ["user"] = Value.ForString("alice"),
                        ["admin"] = Value.ForBool(true),
                        ["team"] = Value.ForStruct(team),
                        ["scopes"] = Value.ForList(Value.ForString("orders"), Value.ForString("read")),
                    },
                };
                return new CheckResponse { Status = new RpcStatus { Code = 0 }, OkResponse = new OkHttpResponse(), DynamicMetadata = metadata };
            }
            if (path.StartsWith("/deny", StringComparison.Ordinal))
            {
                var denied = new DeniedHttpResponse { Status = new HttpStatus { Code = 401 }, Body = "no entry" };
                denied.Headers.Add(Header("www-authenticate", "Bearer realm=\"shop\"", append: false));
                return new CheckResponse { Status = new RpcStatus { Code = 7 }, DeniedResponse = denied };
            }
            if (path.StartsWith("/error", StringComparison.Ordinal))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "auth backend down"));
            }
            if (path.StartsWith("/slow", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(2), context.CancellationToken);
                return new CheckResponse { Status = new RpcStatus { Code = 0 }, OkResponse = new OkHttpResponse() };
            }
            if (path.StartsWith("/crlf", StringComparison.Ordinal))
            {
                var ok = new OkHttpResponse();
                ok.Headers.Add(Header("x-auth-user", "alice\r\nx-injected: 1", append: false));
                return new CheckResponse { Status = new RpcStatus { Code = 0 }, OkResponse = ok };
            }
            return new CheckResponse { Status = new RpcStatus { Code = 0 }, OkResponse = new OkHttpResponse() };
        }

        private static HeaderValueOption Header(string key, string value, bool append) =>
            new() { Header = new HeaderValue { Key = key, Value = value }, Append = new BoolValue { Value = append } };
    }
}
