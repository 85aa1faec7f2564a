using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// A filter that declares <see cref="EndOfStreamHooks.WhenRequested"/> gets OnStreamComplete and
/// OnDestroy only on streams that asked for them, made a scheduler, or faulted; others skip both (the
/// native entry answers them without entering .NET, and the fake Envoy follows the same flags).
/// </summary>
[Collection("EnvoyCallbacks")]
public sealed class EndOfStreamHooksTests : IDisposable
{
    private readonly Factory _factory = new();
    private readonly FakeEnvoy _envoy;

    public EndOfStreamHooksTests() => _envoy = new FakeEnvoy(_factory);

    public void Dispose() => _envoy.Dispose();

    [Theory]
    [InlineData("always", "", 1, 1)]
    [InlineData("on-request", "", 0, 0)]
    [InlineData("on-request", "request", 1, 1)]
    [InlineData("on-request", "scheduler", 1, 1)]
    public void End_hooks_run_as_the_filter_chose(string mode, string action, int completes, int destroys)
    {
        var config = _envoy.CreateConfig("hooks", mode);
        using (var stream = _envoy.NewStream(config))
        {
            stream.RequestHeaders.Add("x-action", action);
            stream.SendRequestHeaders();
            stream.Complete();
        }

        var filter = Assert.Single(_factory.Created);
        Assert.Equal(1, filter.RequestHeaderCalls);
        Assert.Equal(completes, filter.Completes);
        Assert.Equal(destroys, filter.Destroys);
    }

    [Fact]
    public void A_request_lasts_one_stream_only()
    {
        var config = _envoy.CreateConfig("hooks", "on-request");
        foreach (var action in new[] { "request", "", "" })
        {
            using var stream = _envoy.NewStream(config);
            stream.RequestHeaders.Add("x-action", action);
            stream.SendRequestHeaders();
            stream.Complete();
        }

        var filter = Assert.Single(_factory.Created); // one pooled object served the three streams
        Assert.Equal(3, filter.RequestHeaderCalls);
        Assert.Equal(1, filter.Completes);
        Assert.Equal(1, filter.Destroys);
    }

    [Fact]
    public void A_stream_whose_filter_never_ran_gets_no_end_hooks_and_creates_no_filter()
    {
        var config = _envoy.CreateConfig("hooks", "always");
        using (var stream = _envoy.NewStream(config))
        {
            stream.Complete(); // reset before any hook reached the filter
        }

        Assert.Empty(_factory.Created);
    }

    [Fact]
    public void A_faulted_stream_gets_its_end_hooks_and_its_filter_is_not_reused()
    {
        var config = _envoy.CreateConfig("hooks", "on-request");
        using (var stream = _envoy.NewStream(config))
        {
            stream.RequestHeaders.Add("x-action", "throw");
            stream.SendRequestHeaders();
            Assert.Equal(500u, stream.LocalReply!.Status);
            stream.Complete();
        }
        using (var next = _envoy.NewStream(config))
        {
            next.SendRequestHeaders();
        }

        Assert.Equal(2, _factory.Created.Count);
        Assert.Equal(1, _factory.Created[0].Completes); // stream_complete runs even for a faulted filter
        Assert.Equal(1, _factory.Created[0].Destroys);
    }

    [Theory]
    [InlineData("always-fallback", "", 2, 0)]
    [InlineData("on-request-fallback", "request", 1, 0)]
    [InlineData("on-request-fallback", "scheduler", 1, 0)]
    public void A_fallback_destroy_is_skipped_after_a_completed_stream(string mode, string action, int completes, int destroys)
    {
        var config = _envoy.CreateConfig("hooks", mode);
        using (var stream = _envoy.NewStream(config))
        {
            stream.RequestHeaders.Add("x-action", action);
            stream.SendRequestHeaders();
            stream.Complete();
        }
        using (var next = _envoy.NewStream(config))
        {
            next.SendRequestHeaders();
            next.Complete();
        }

        var filter = Assert.Single(_factory.Created); // skipping destroy still pools the object
        Assert.Equal(completes, filter.Completes); // over both streams; the second one asks for nothing
        Assert.Equal(destroys, filter.Destroys);
    }

    [Fact]
    public void A_fallback_destroy_runs_when_stream_complete_threw()
    {
        var config = _envoy.CreateConfig("hooks", "always-fallback");
        using (var stream = _envoy.NewStream(config))
        {
            stream.RequestHeaders.Add("x-action", "throw-on-complete");
            stream.SendRequestHeaders();
            stream.Complete();
        }

        var filter = Assert.Single(_factory.Created);
        Assert.Equal(1, filter.Completes);
        Assert.Equal(1, filter.Destroys);
    }

    private sealed class Factory : HttpFilterFactory
    {
        public List<HooksFilter> Created { get; } = [];

        public override string FilterName => "hooks";

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            error = null;
            var mode = config.StartsWith("always"u8) ? EndOfStreamHooks.Always : EndOfStreamHooks.WhenRequested;
            return new Config(this, mode, destroyAfterComplete: !config.EndsWith("-fallback"u8));
        }

        private sealed class Config(Factory factory, EndOfStreamHooks mode, bool destroyAfterComplete) : HttpFilterConfig
        {
            public override HttpFilter CreateFilter()
            {
                var filter = new HooksFilter(mode, destroyAfterComplete);
                factory.Created.Add(filter);
                return filter;
            }
        }
    }

    private sealed class HooksFilter(EndOfStreamHooks mode, bool destroyAfterComplete) : HttpFilter
    {
        private bool _throwOnComplete;

        public int RequestHeaderCalls { get; private set; }

        public int Completes { get; private set; }

        public int Destroys { get; private set; }

        protected override EndOfStreamHooks EndOfStreamHooks => mode;

        protected override bool DestroyAfterStreamComplete => destroyAfterComplete;

        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            RequestHeaderCalls++;
            _throwOnComplete = false;
            ctx.RequestHeaders.TryGet("x-action"u8, out var action);
            if (action.SequenceEqual("request"u8))
            {
                ctx.RequestEndOfStreamHooks();
            }
            else if (action.SequenceEqual("scheduler"u8))
            {
                ctx.NewScheduler();
            }
            else if (action.SequenceEqual("throw"u8))
            {
                throw new InvalidOperationException("scripted failure");
            }
            else if (action.SequenceEqual("throw-on-complete"u8))
            {
                _throwOnComplete = true;
            }
            return HeadersStatus.Continue;
        }

        public override void OnStreamComplete(HttpFilterContext ctx)
        {
            Completes++;
            if (_throwOnComplete)
            {
                throw new InvalidOperationException("scripted failure in stream_complete");
            }
        }

        public override void OnDestroy() => Destroys++;
    }
}
