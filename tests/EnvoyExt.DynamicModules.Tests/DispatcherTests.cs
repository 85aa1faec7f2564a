using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// The dispatcher (what every exported hook calls) driven through the testing library's fake Envoy:
/// config rejection, the exception barrier, SDK-owned pooling and its reset, per-route config and the
/// scheduler.
/// </summary>
[Collection("EnvoyCallbacks")]
public sealed class DispatcherTests : IDisposable
{
    private readonly ScriptedFactory _factory = new();
    private readonly FakeEnvoy _envoy;

    public DispatcherTests() => _envoy = new FakeEnvoy(_factory);

    public void Dispose() => _envoy.Dispose();

    [Fact]
    public void Unknown_filter_name_is_rejected_and_logged()
    {
        Assert.Null(_envoy.TryCreateConfig("no_such_filter", "", out var error));
        Assert.Contains("unknown filter_name 'no_such_filter' (known: scripted)", error);
    }

    [Fact]
    public void Invalid_config_is_rejected_with_the_factory_error()
    {
        Assert.Null(_envoy.TryCreateConfig("scripted", "invalid", out var error));
        Assert.Equal("scripted: invalid filter config: limit: must not be negative", error);
    }

    [Fact]
    public void Exception_in_config_creation_is_caught_and_rejects_the_config()
    {
        Assert.Null(_envoy.TryCreateConfig("scripted", "explode", out var error));
        Assert.StartsWith("scripted: invalid filter config", error);
        Assert.Contains("config exploded", error);
    }

    [Fact]
    public void Metrics_are_defined_through_the_config_context()
    {
        _envoy.CreateConfig("scripted", "");
        Assert.Contains("counter scripted_total(rule)", _envoy.MetricDefinitions);
    }

    [Fact]
    public void Request_path_exception_sends_500_stops_and_bypasses_the_filter_afterwards()
    {
        var config = _envoy.CreateConfig("scripted", "throw:request_headers");
        using var stream = _envoy.NewStream(config);

        Assert.Equal(HeadersStatus.StopIteration, stream.SendRequestHeaders());
        Assert.Equal(500u, stream.LocalReply!.Status);
        Assert.Equal("envoyext_filter_exception", stream.LocalReply.Details);
        Assert.True(_envoy.LogContains("scripted: exception in request_headers: System.InvalidOperationException: scripted failure"));

        // The 500 passes back through this filter's encode hooks: they must not run the faulted filter.
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders());
        Assert.Equal(0, stream.ResetCount);
        Assert.Equal(0, _factory.Last!.ResponseHeaderCalls);
    }

    [Fact]
    public void A_bad_module_pointer_is_contained_by_the_barrier_too()
    {
        using var stream = _envoy.NewStream(_envoy.CreateConfig("scripted", ""));

        Assert.Equal((int)HeadersStatus.StopIteration, HttpFilterDispatcher.RequestHeaders(stream.EnvoyPointer, 0, true));
        Assert.Equal(500u, stream.LocalReply!.Status);
        HttpFilterDispatcher.Destroy(0); // must not throw either
    }

    [Fact]
    public void Response_path_exception_resets_the_stream()
    {
        using var stream = _envoy.NewStream(_envoy.CreateConfig("scripted", "throw:response_body"));

        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders(endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationNoBuffer, stream.SendResponseBody("x"));
        Assert.Equal(1, stream.ResetCount);
        Assert.Null(stream.LocalReply);
    }

    [Fact]
    public void The_pool_reuses_one_object_per_worker_and_clears_its_state_before_each_stream()
    {
        var config = _envoy.CreateConfig("scripted", "remember");
        using (var first = _envoy.NewStream(config))
        {
            first.RequestHeaders.Add("x-user", "alice");
            first.SendRequestHeaders();
        }
        using var second = _envoy.NewStream(config);
        second.SendRequestHeaders();
        second.ResponseHeaders.Add(":status", "200");
        second.SendResponseHeaders();

        var filter = Assert.Single(_factory.Created);   // the same object served both streams
        Assert.Equal(1, filter.Reuses);                 // OnReuse ran before the second stream
        Assert.Null(second.ResponseHeaders.Get("x-seen-user")); // the SDK cleared the stream state
    }

    [Fact]
    public void A_faulted_filter_is_not_reused()
    {
        var config = _envoy.CreateConfig("scripted", "throw:request_headers");
        using (var first = _envoy.NewStream(config))
        {
            first.SendRequestHeaders();
        }
        using var second = _envoy.NewStream(config);
        second.SendRequestHeaders(); // the stream's first hook binds a filter object to it

        Assert.Equal(2, _factory.Created.Count);
    }

    [Fact]
    public void Exception_in_OnReuse_fails_the_stream_closed_and_the_next_stream_gets_a_new_object()
    {
        var config = _envoy.CreateConfig("scripted", "throw:reuse");
        using (var first = _envoy.NewStream(config))
        {
            first.SendRequestHeaders();
        }

        using (var failed = _envoy.NewStream(config))
        {
            Assert.Equal(HeadersStatus.StopIteration, failed.SendRequestHeaders());
            Assert.Equal(500u, failed.LocalReply!.Status);
            AssertPassesItsOwn500Through(failed);
        }
        Assert.Equal(1, FailureLines());
        using var next = _envoy.NewStream(config);
        next.SendRequestHeaders();
        Assert.Equal(2, _factory.Created.Count);
        Assert.Null(next.LocalReply);
    }

    [Fact]
    public void A_filter_that_cannot_be_created_answers_500_through_its_own_hooks_logged_once()
    {
        var config = _envoy.CreateConfig("scripted", "throw:create-once");
        using (var failed = _envoy.NewStream(config))
        {
            Assert.Equal(HeadersStatus.StopIteration, failed.SendRequestHeaders());
            Assert.Equal(500u, failed.LocalReply!.Status);
            Assert.Equal("envoyext_filter_exception", failed.LocalReply.Details);
            Assert.True(_envoy.LogContains("scripted: exception in request_headers: System.InvalidOperationException: scripted creation failure"));
            AssertPassesItsOwn500Through(failed);
            Assert.Equal(LocalReplyStatus.Continue, failed.SendLocalReplyNotice(503, "later_reply", resetImminent: false));
        }
        Assert.Equal(1, FailureLines());
        Assert.Empty(_factory.Created);

        // Nothing of the failed stream is left behind: the next one creates its filter and runs it.
        using var next = _envoy.NewStream(config);
        Assert.Equal(HeadersStatus.Continue, next.SendRequestHeaders());
        next.ResponseHeaders.Add(":status", "200");
        Assert.Equal(HeadersStatus.Continue, next.SendResponseHeaders());
        Assert.Null(next.LocalReply);
        var filter = Assert.Single(_factory.Created);
        Assert.Equal(1, filter.ResponseHeaderCalls);
        Assert.Equal(1, FailureLines());
    }

    [Fact]
    public void Exception_in_destroy_is_contained_and_the_object_is_not_reused()
    {
        var config = _envoy.CreateConfig("scripted", "throw:destroy");
        for (var i = 0; i < 2; i++)
        {
            using var stream = _envoy.NewStream(config);
            stream.SendRequestHeaders();
        }

        Assert.Equal(2, _factory.Created.Count);
        Assert.True(_envoy.LogContains("scripted: exception in destroy"));
    }

    [Fact]
    public void Steady_state_streams_allocate_nothing_in_the_SDK()
    {
        var config = _envoy.CreateConfig("scripted", "");
        using var holder = _envoy.NewStream(config); // a live stream whose Envoy pointer the hooks use
        var module = config.Module;
        for (var i = 0; i < 100; i++)
        {
            Cycle(module, holder.EnvoyPointer); // warm up (pool list, JIT)
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Cycle(module, holder.EnvoyPointer);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Cycle(nint configModule, nint envoy)
        {
            var fm = HttpFilterDispatcher.FilterNew(configModule, envoy);
            HttpFilterDispatcher.RequestHeaders(envoy, fm, true);
            HttpFilterDispatcher.ResponseHeaders(envoy, fm, true);
            HttpFilterDispatcher.StreamComplete(envoy, fm);
            HttpFilterDispatcher.Destroy(fm);
        }
    }

    [Fact]
    public void Per_route_config_is_found_by_the_filter_and_disposed_with_the_route()
    {
        var route = _envoy.CreateRouteConfig("scripted", "route-a");
        var config = _envoy.CreateConfig("scripted", "");

        using (var onRoute = _envoy.NewStream(config, route))
        {
            onRoute.SendRequestHeaders();
            Assert.Equal("route-a", _factory.Last!.SeenRoute?.Tag);
        }
        using (var elsewhere = _envoy.NewStream(config))
        {
            elsewhere.SendRequestHeaders();
            Assert.Null(_factory.Last!.SeenRoute);
        }
        var tag = _factory.Routes.Single();
        _envoy.DestroyRouteConfig(route);
        Assert.True(tag.Disposed);
    }

    [Fact]
    public void Per_route_config_is_rejected_by_default_with_not_supported()
    {
        using var envoy = new FakeEnvoy(new FilterRegistryTests.NamedFactory("plain"));

        Assert.Null(envoy.TryCreateRouteConfig("plain", "{}", out var error));
        Assert.Equal("plain: invalid per-route config: per-route config not supported", error);
    }

    [Fact]
    public void Scheduler_commits_from_another_thread_and_drops_commits_after_destroy()
    {
        var stream = _envoy.NewStream(_envoy.CreateConfig("scripted", "schedule"));
        stream.SendRequestHeaders();
        var scheduler = _factory.Last!.Scheduler!;

        var thread = new Thread(() => Assert.True(scheduler.Commit(42)));
        thread.Start();
        thread.Join();
        Assert.Equal(1, stream.RunScheduled());
        Assert.Equal([42UL], _factory.Last.ScheduledEvents);

        stream.Dispose();
        Assert.Equal(1, stream.SchedulerDeletes);
        Assert.False(scheduler.Commit(43));
        Assert.False(scheduler.IsAlive);
    }

    [Fact]
    public void Config_destroy_disposes_the_config()
    {
        var config = _envoy.CreateConfig("scripted", "");
        _envoy.DestroyConfig(config);
        Assert.True(_factory.Configs.Single().Disposed);
    }

    /// <summary>
    /// Envoy announces the barrier's 500 to every filter, then runs it through the encoder chain: a
    /// stream whose filter failed passes both through, so the client gets the 500, not a reset.
    /// </summary>
    private static void AssertPassesItsOwn500Through(FakeStream failed)
    {
        Assert.Equal(LocalReplyStatus.Continue, failed.SendLocalReplyNotice(500, "envoyext_filter_exception"));
        failed.ResponseHeaders.Add(":status", "500");
        Assert.Equal(HeadersStatus.Continue, failed.SendResponseHeaders(endOfStream: false));
        Assert.Equal(BodyStatus.Continue, failed.SendResponseBody("internal error in an EnvoyExt filter\n", endOfStream: false));
        Assert.Equal(TrailersStatus.Continue, failed.SendResponseTrailers());
        Assert.Equal(0, failed.ResetCount);
    }

    private int FailureLines() => _envoy.Logs.Count(l => l.Contains("scripted: exception in", StringComparison.Ordinal));

    // ---- a factory scripted by its config string ----

    private sealed class ScriptedFactory : HttpFilterFactory
    {
        public List<ScriptedConfig> Configs { get; } = [];

        public List<ScriptedFilter> Created { get; } = [];

        public List<RouteTag> Routes { get; } = [];

        public ScriptedFilter? Last { get; set; }

        public override string FilterName => "scripted";

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            var text = Encoding.UTF8.GetString(config);
            error = null;
            if (text == "invalid")
            {
                error = "limit: must not be negative";
                return null;
            }
            if (text == "explode")
            {
                throw new FormatException("config exploded");
            }
            context.Metrics.DefineCounter("scripted_total", "rule");
            var created = new ScriptedConfig(this, text);
            Configs.Add(created);
            return created;
        }

        public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
        {
            error = null;
            var tag = new RouteTag(Encoding.UTF8.GetString(config));
            Routes.Add(tag);
            return tag;
        }
    }

    private sealed class RouteTag(string tag) : IDisposable
    {
        public string Tag { get; } = tag;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class ScriptedConfig(ScriptedFactory factory, string script) : HttpFilterConfig
    {
        private bool _creationFailed;

        public string Script { get; } = script;

        public bool Disposed { get; private set; }

        public override HttpFilter CreateFilter()
        {
            if (Script == "throw:create-once" && !_creationFailed)
            {
                _creationFailed = true;
                throw new InvalidOperationException("scripted creation failure");
            }
            var filter = new ScriptedFilter(factory, this);
            factory.Created.Add(filter);
            return filter;
        }

        protected override void Dispose(bool disposing) => Disposed = true;
    }

    private struct SeenUser
    {
        public string? Name;
    }

    private sealed class ScriptedFilter(ScriptedFactory factory, ScriptedConfig config) : HttpFilter<SeenUser>
    {
        public RouteTag? SeenRoute { get; private set; }

        public Scheduler? Scheduler { get; private set; }

        public List<ulong> ScheduledEvents { get; } = [];

        public int Reuses { get; private set; }

        public int ResponseHeaderCalls { get; private set; }

        private void MaybeThrow(string hook)
        {
            if (config.Script.StartsWith("throw:", StringComparison.Ordinal) && config.Script.AsSpan(6).SequenceEqual(hook))
            {
                throw new InvalidOperationException("scripted failure");
            }
        }

        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            factory.Last = this;
            MaybeThrow("request_headers");
            SeenRoute = ctx.RouteConfig<RouteTag>();
            if (config.Script == "schedule")
            {
                Scheduler = ctx.NewScheduler();
            }
            if (config.Script == "remember" && ctx.RequestHeaders.TryGet("x-user"u8, out var user))
            {
                State.Name = Encoding.UTF8.GetString(user);
            }
            return HeadersStatus.Continue;
        }

        public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            ResponseHeaderCalls++;
            MaybeThrow("response_headers");
            if (State.Name is { } name)
            {
                ctx.ResponseHeaders.Set("x-seen-user"u8, Encoding.UTF8.GetBytes(name));
            }
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
        {
            MaybeThrow("response_body");
            return BodyStatus.Continue;
        }

        public override void OnScheduled(HttpFilterContext ctx, ulong eventId) => ScheduledEvents.Add(eventId);

        public override void OnDestroy() => MaybeThrow("destroy");

        protected override void OnReuse()
        {
            Reuses++;
            MaybeThrow("reuse");
        }
    }
}
