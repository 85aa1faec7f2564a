using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Module.Diagnostics;

/// <summary>
/// filter_name "test_throw": throws <see cref="InvalidOperationException"/> in the hook named by its
/// config (<c>{"hook": "request_headers"}</c>) to prove the exception barrier: the request gets a 500 or
/// a reset, the error is logged, and the process keeps serving. With <c>"when_header": "x-throw"</c> it only
/// throws for requests carrying that header, so one run can mix failing and healthy requests.
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
        if (!FlatJsonConfig.TryParse(config, ["hook", "when_header"], out var fields, out error))
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
        var whenHeader = fields.TryGetValue("when_header", out var header) ? System.Text.Encoding.UTF8.GetBytes(header) : null;
        if (whenHeader is { Length: 0 })
        {
            error = "when_header: must not be empty";
            return null;
        }
        return new ThrowConfig(hook, whenHeader);
    }

    public object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
    {
        error = "$: test_throw has no per-route config";
        return null;
    }

    private sealed class ThrowConfig(string hook, byte[]? whenHeader) : HttpFilterConfig
    {
        public byte[]? WhenHeader => whenHeader;

        public override HttpFilter CreateFilter(uint workerIndex)
        {
            // filter_new cannot see headers, so "new" ignores when_header.
            if (hook == "new")
            {
                throw new InvalidOperationException("test_throw: deliberate failure in new");
            }
            return new ThrowFilter(this);
        }

        public void Throw(string where, bool armed)
        {
            if (armed && where == hook)
            {
                throw new InvalidOperationException($"test_throw: deliberate failure in {where}");
            }
        }
    }

    private sealed class ThrowFilter(ThrowConfig config) : HttpFilter
    {
        // Decided from the request headers; stays false for requests without the trigger header.
        private bool _armed;

        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            _armed = config.WhenHeader is null || ctx.RequestHeaders.Count(config.WhenHeader) > 0;
            config.Throw("request_headers", _armed);
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("request_body", _armed);
            return BodyStatus.Continue;
        }

        public override TrailersStatus OnRequestTrailers(HttpFilterContext ctx)
        {
            config.Throw("request_trailers", _armed);
            return TrailersStatus.Continue;
        }

        public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("response_headers", _armed);
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("response_body", _armed);
            return BodyStatus.Continue;
        }

        public override TrailersStatus OnResponseTrailers(HttpFilterContext ctx)
        {
            config.Throw("response_trailers", _armed);
            return TrailersStatus.Continue;
        }

        public override void OnStreamComplete(HttpFilterContext ctx) => config.Throw("stream_complete", _armed);

        public override LocalReplyStatus OnLocalReply(HttpFilterContext ctx, uint status, ReadOnlySpan<byte> details, bool resetImminent)
        {
            config.Throw("local_reply", _armed);
            return LocalReplyStatus.Continue;
        }

        public override void OnDestroy() => config.Throw("destroy", _armed);
    }
}
