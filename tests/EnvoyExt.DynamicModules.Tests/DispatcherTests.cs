using System.Runtime.InteropServices;
using System.Text;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// Drives the dispatcher the way Envoy does (raw pointers, by-value buffers) against <see cref="FakeEnvoy"/>
/// to check config rejection, the exception barrier, handle lifetimes, per-route config and the scheduler.
/// </summary>
[Collection("EnvoyCallbacks")]
public unsafe class DispatcherTests : IDisposable
{
    private const nint Envoy = 0x5151;

    public DispatcherTests()
    {
        FakeEnvoy.Reset();
        var registry = new FilterRegistry();
        registry.Register(new ScriptedFactory());
        Assert.True(ModuleRuntime.Initialize(registry, () => EnvoyCallbacks.Resolve(FakeEnvoy.Lookup)) != null);
    }

    public void Dispose() => FakeEnvoy.Reset();

    private static nint ConfigNew(string name, string config)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var configBytes = Encoding.UTF8.GetBytes(config);
        fixed (byte* n = nameBytes)
        fixed (byte* c = configBytes)
        {
            return HttpFilterDispatcher.ConfigNew(0x77, FakeEnvoy.Buffer(n, nameBytes.Length), FakeEnvoy.Buffer(c, configBytes.Length));
        }
    }

    [Fact]
    public void Unknown_filter_name_is_rejected_and_logged()
    {
        Assert.Equal(0, ConfigNew("no_such_filter", ""));
        Assert.Contains(FakeEnvoy.Logs, l => l.Contains("unknown filter_name 'no_such_filter'"));
    }

    [Fact]
    public void Invalid_config_is_rejected_with_the_factory_error()
    {
        Assert.Equal(0, ConfigNew("scripted", "invalid"));
        Assert.Contains("scripted: invalid filter config: limit: must not be negative", FakeEnvoy.Logs);
    }

    [Fact]
    public void Exception_in_config_creation_is_caught_and_rejects_the_config()
    {
        Assert.Equal(0, ConfigNew("scripted", "explode"));
        Assert.Contains(FakeEnvoy.Logs, l => l.StartsWith("scripted: invalid filter config") && l.Contains("config exploded"));
    }

    [Fact]
    public void Request_path_exception_sends_500_stops_and_bypasses_the_filter_afterwards()
    {
        var config = ConfigNew("scripted", "throw:request_headers");
        var filter = HttpFilterDispatcher.FilterNew(config, Envoy);

        Assert.Equal((int)HeadersStatus.StopIteration, HttpFilterDispatcher.RequestHeaders(Envoy, filter, true));
        var reply = Assert.Single(FakeEnvoy.LocalReplies);
        Assert.Equal(500u, reply.Status);
        Assert.Equal("envoyext_filter_exception", reply.Details);
        Assert.Contains(FakeEnvoy.Logs, l => l.Contains("scripted: exception in request_headers") && l.Contains("scripted failure"));

        // The 500 passes back through this filter's encode hooks: they must not run the faulted filter.
        Assert.Equal((int)HeadersStatus.Continue, HttpFilterDispatcher.ResponseHeaders(Envoy, filter, true));
        Assert.Equal(0, FakeEnvoy.Resets);
        HttpFilterDispatcher.Destroy(filter);
        HttpFilterDispatcher.ConfigDestroy(config);
    }

    [Fact]
    public void A_bad_module_pointer_is_contained_by_the_barrier_too()
    {
        Assert.Equal((int)HeadersStatus.StopIteration, HttpFilterDispatcher.RequestHeaders(Envoy, 0, true));
        Assert.Equal(500u, Assert.Single(FakeEnvoy.LocalReplies).Status);
        HttpFilterDispatcher.Destroy(0); // must not throw either
    }

    [Fact]
    public void Response_path_exception_resets_the_stream()
    {
        var config = ConfigNew("scripted", "throw:response_body");
        var filter = HttpFilterDispatcher.FilterNew(config, Envoy);

        Assert.Equal(0, HttpFilterDispatcher.RequestHeaders(Envoy, filter, true));
        Assert.Equal(0, HttpFilterDispatcher.ResponseHeaders(Envoy, filter, false));
        Assert.Equal((int)BodyStatus.StopIterationNoBuffer, HttpFilterDispatcher.ResponseBody(Envoy, filter, true));
        Assert.Equal(1, FakeEnvoy.Resets);
        Assert.Empty(FakeEnvoy.LocalReplies);
        HttpFilterDispatcher.Destroy(filter);
        HttpFilterDispatcher.ConfigDestroy(config);
    }

    [Fact]
    public void Exception_in_destroy_is_contained_and_the_handle_is_still_freed()
    {
        var config = ConfigNew("scripted", "throw:destroy");
        var fm = HttpFilterDispatcher.FilterNew(config, Envoy);
        var filter = (HttpFilter)GCHandle.FromIntPtr(fm).Target!;

        HttpFilterDispatcher.Destroy(fm);
        Assert.Equal(0, filter.Handle);
        Assert.Contains(FakeEnvoy.Logs, l => l.Contains("exception in destroy"));
        HttpFilterDispatcher.ConfigDestroy(config);
    }

    [Fact]
    public void Pooled_filters_keep_their_handle_and_unpooled_ones_release_it()
    {
        var pooledConfig = ConfigNew("scripted", "pool");
        var first = HttpFilterDispatcher.FilterNew(pooledConfig, Envoy);
        HttpFilterDispatcher.Destroy(first);
        var second = HttpFilterDispatcher.FilterNew(pooledConfig, Envoy);
        Assert.Equal(first, second); // same object, same GCHandle: no allocation per stream
        HttpFilterDispatcher.Destroy(second);
        HttpFilterDispatcher.ConfigDestroy(pooledConfig);

        var plainConfig = ConfigNew("scripted", "");
        var fm = HttpFilterDispatcher.FilterNew(plainConfig, Envoy);
        var filter = (HttpFilter)GCHandle.FromIntPtr(fm).Target!;
        HttpFilterDispatcher.Destroy(fm);
        Assert.Equal(0, filter.Handle);
        HttpFilterDispatcher.ConfigDestroy(plainConfig);
    }

    [Fact]
    public void Per_route_config_is_found_by_the_filter_and_disposed_on_destroy()
    {
        var bytes = "route-a"u8.ToArray();
        var nameBytes = "scripted"u8.ToArray();
        nint route;
        fixed (byte* n = nameBytes)
        fixed (byte* c = bytes)
        {
            route = HttpFilterDispatcher.PerRouteConfigNew(FakeEnvoy.Buffer(n, nameBytes.Length), FakeEnvoy.Buffer(c, bytes.Length));
        }
        Assert.NotEqual(0, route);
        var routeObject = (RouteTag)((PerRouteConfigHolder)GCHandle.FromIntPtr(route).Target!).Config;

        var config = ConfigNew("scripted", "");
        var fm = HttpFilterDispatcher.FilterNew(config, Envoy);
        var filter = (ScriptedFilter)GCHandle.FromIntPtr(fm).Target!;
        FakeEnvoy.RouteConfig = route;
        HttpFilterDispatcher.RequestHeaders(Envoy, fm, true);
        Assert.Same(routeObject, filter.SeenRoute);

        FakeEnvoy.RouteConfig = 0;
        HttpFilterDispatcher.RequestHeaders(Envoy, fm, true);
        Assert.Null(filter.SeenRoute);

        HttpFilterDispatcher.PerRouteConfigDestroy(route);
        Assert.True(routeObject.Disposed);
        HttpFilterDispatcher.Destroy(fm);
        HttpFilterDispatcher.ConfigDestroy(config);
    }

    [Fact]
    public void Scheduler_commits_from_another_thread_and_drops_commits_after_destroy()
    {
        var config = ConfigNew("scripted", "schedule");
        var fm = HttpFilterDispatcher.FilterNew(config, Envoy);
        var filter = (ScriptedFilter)GCHandle.FromIntPtr(fm).Target!;
        HttpFilterDispatcher.RequestHeaders(Envoy, fm, true);
        var scheduler = filter.Scheduler!;

        var thread = new Thread(() => Assert.True(scheduler.Commit(42)));
        thread.Start();
        thread.Join();
        Assert.Equal([42UL], FakeEnvoy.Commits);

        HttpFilterDispatcher.Destroy(fm);
        Assert.Equal(1, FakeEnvoy.SchedulerDeletes);
        Assert.False(scheduler.Commit(43));
        Assert.Equal([42UL], FakeEnvoy.Commits);
        HttpFilterDispatcher.ConfigDestroy(config);
    }

    [Fact]
    public void Config_destroy_disposes_the_config()
    {
        var config = ConfigNew("scripted", "");
        var holder = GCHandle.FromIntPtr(config).Target!;
        var created = (ScriptedConfig)((ConfigHolder)holder).Config;
        HttpFilterDispatcher.ConfigDestroy(config);
        Assert.True(created.Disposed);
    }

    // ---- a factory scripted by its config string ----

    private sealed class ScriptedFactory : IHttpFilterFactory
    {
        public string FilterName => "scripted";

        public HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
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
            return new ScriptedConfig(text);
        }

        public object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
        {
            error = null;
            return new RouteTag(Encoding.UTF8.GetString(config));
        }
    }

    private sealed class RouteTag(string tag) : IDisposable
    {
        public string Tag { get; } = tag;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class ScriptedConfig(string script) : HttpFilterConfig
    {
        private readonly FilterPool<ScriptedFilter> _pool = new(() => throw new InvalidOperationException("unused"));

        public string Script { get; } = script;

        public bool Disposed { get; private set; }

        public override HttpFilter CreateFilter(uint workerIndex) =>
            Script == "pool" && _pool.IdleCount(workerIndex) > 0 ? _pool.Rent(workerIndex) : new ScriptedFilter(this);

        public void Return(ScriptedFilter filter) => _pool.Return(filter);

        public override void Dispose()
        {
            Disposed = true;
            _pool.Dispose();
            base.Dispose();
        }
    }

    private sealed class ScriptedFilter(ScriptedConfig config) : HttpFilter
    {
        public RouteTag? SeenRoute;
        public Scheduler? Scheduler;

        private void MaybeThrow(string hook)
        {
            if (config.Script == "throw:" + hook)
            {
                throw new InvalidOperationException("scripted failure");
            }
        }

        public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            MaybeThrow("request_headers");
            SeenRoute = ctx.RouteConfig<RouteTag>();
            if (config.Script == "schedule")
            {
                Scheduler = ctx.NewScheduler();
            }
            return HeadersStatus.Continue;
        }

        public override HeadersStatus OnResponseHeaders(HttpFilterContext ctx, bool endOfStream)
        {
            MaybeThrow("response_headers");
            return HeadersStatus.Continue;
        }

        public override BodyStatus OnResponseBody(HttpFilterContext ctx, bool endOfStream)
        {
            MaybeThrow("response_body");
            return BodyStatus.Continue;
        }

        public override void OnDestroy()
        {
            MaybeThrow("destroy");
            if (config.Script == "pool")
            {
                config.Return(this);
            }
        }
    }
}
