using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Module.Diagnostics;

/// <summary>
/// filter_name "test_throw": throws <see cref="InvalidOperationException"/> in the hook named by its
/// config (<c>{"hook": "request_headers"}</c>) to prove the exception barrier: the request gets a 500 or
/// a reset, the error is logged, and the process keeps serving.
/// </summary>
internal sealed class TestThrowFilterFactory : IHttpFilterFactory
{
    public static readonly string[] Hooks =
    [
        "new", "request_headers", "request_body", "request_trailers", "response_headers", "response_body",
        "response_trailers", "stream_complete", "local_reply", "destroy",
    ];

    public string FilterName => "test_throw";

    public HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        if (!FlatJsonConfig.TryParse(config, ["hook"], out var fields, out error))
        {
            return null;
        }
        if (!fields.TryGetValue("hook", out var hook))
        {
            error = "hook: required";
            return null;
        }
        if (!Hooks.Contains(hook))
        {
            error = $"hook: unknown hook '{hook}' (expected one of: {string.Join(", ", Hooks)})";
            return null;
        }
        return new ThrowConfig(hook);
    }

    public object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
    {
        error = "$: test_throw has no per-route config";
        return null;
    }

    private sealed class ThrowConfig(string hook) : HttpFilterConfig
    {
        public override HttpFilter CreateFilter(uint workerIndex)
        {
            Throw("new");
            return new ThrowFilter(this);
        }

        public void Throw(string where)
        {
            if (where == hook)
            {
                throw new InvalidOperationException($"test_throw: deliberate failure in {where}");
            }
        }
    }

    private sealed class ThrowFilter(ThrowConfig config) : HttpFilter
    {
        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("request_headers");
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("request_body");
            return BodyStatus.Continue;
        }

        public override TrailersStatus OnRequestTrailers(HttpFilterContext ctx)
        {
            config.Throw("request_trailers");
            return TrailersStatus.Continue;
        }

        public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("response_headers");
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("response_body");
            return BodyStatus.Continue;
        }

        public override TrailersStatus OnResponseTrailers(HttpFilterContext ctx)
        {
            config.Throw("response_trailers");
            return TrailersStatus.Continue;
        }

        public override void OnStreamComplete(HttpFilterContext ctx) => config.Throw("stream_complete");

        public override LocalReplyStatus OnLocalReply(HttpFilterContext ctx, uint status, ReadOnlySpan<byte> details, bool resetImminent)
        {
            config.Throw("local_reply");
            return LocalReplyStatus.Continue;
        }

        public override void OnDestroy() => config.Throw("destroy");
    }
}
