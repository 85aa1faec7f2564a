using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.TestModule.Diagnostics;

/// <summary>
/// filter_name "test_throw": throws <see cref="InvalidOperationException"/> in the hook named by its
/// config (<c>{"hook": "request_headers"}</c>) to prove the exception barrier: the request gets a 500 or
/// a reset, the error is logged, and the process keeps serving. With <c>"when_header": "x-throw"</c> it only
/// throws for requests carrying that header, so one run can mix failing and healthy requests.
/// </summary>
internal sealed class TestThrowFilterFactory : HttpFilterFactory
{
    public static readonly string[] Hooks =
    [
        "new", "request_headers", "request_body", "request_trailers", "response_headers", "response_body",
        "response_trailers", "stream_complete", "local_reply", "destroy",
    ];

    public override string FilterName => "test_throw";

    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
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

    private sealed class ThrowConfig(string hook, byte[]? whenHeader) : HttpFilterConfig
    {
        public byte[]? WhenHeader => whenHeader;

        public override HttpFilter CreateFilter()
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

    // The per-stream state is the SDK-cleared struct, so a pooled object never inherits "armed".
    private sealed class ThrowFilter(ThrowConfig config) : HttpFilter<ThrowState>
    {

        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            State.Armed = config.WhenHeader is null || ctx.RequestHeaders.Count(config.WhenHeader) > 0;
            config.Throw("request_headers", State.Armed);
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnRequestBody(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("request_body", State.Armed);
            return BodyStatus.Continue;
        }

        public override TrailersStatus OnRequestTrailers(HttpFilterContext ctx)
        {
            config.Throw("request_trailers", State.Armed);
            return TrailersStatus.Continue;
        }

        public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("response_headers", State.Armed);
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
        {
            config.Throw("response_body", State.Armed);
            return BodyStatus.Continue;
        }

        public override TrailersStatus OnResponseTrailers(HttpFilterContext ctx)
        {
            config.Throw("response_trailers", State.Armed);
            return TrailersStatus.Continue;
        }

        public override void OnStreamComplete(HttpFilterContext ctx) => config.Throw("stream_complete", State.Armed);

        public override LocalReplyStatus OnLocalReply(HttpFilterContext ctx, uint status, ReadOnlySpan<byte> details, bool resetImminent)
        {
            config.Throw("local_reply", State.Armed);
            return LocalReplyStatus.Continue;
        }

        public override void OnDestroy() => config.Throw("destroy", State.Armed);
    }

    private struct ThrowState
    {
        // Decided from the request headers; stays false for requests without the trigger header.
        public bool Armed;
    }
}
