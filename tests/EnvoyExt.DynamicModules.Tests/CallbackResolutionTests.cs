using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.DynamicModules.Tests;

[Collection("EnvoyCallbacks")]
public class CallbackResolutionTests
{
    [Fact]
    public void Names_every_missing_required_callback()
    {
        var missing = EnvoyCallbacks.Resolve(name => name.EndsWith("http_send_response") || name.EndsWith("http_get_header")
            ? 0
            : FakeCallbacks.Lookup(name));

        Assert.Equal(
            ["envoy_dynamic_module_callback_http_get_header", "envoy_dynamic_module_callback_http_send_response"],
            missing.Order().ToArray());
        Assert.False(EnvoyCallbacks.IsResolved);
    }

    [Fact]
    public void Optional_callbacks_may_be_missing()
    {
        var optional = new[] { "log", "log_enabled", "get_concurrency", "http_get_body_size", "http_filter_get_worker_index" };
        var missing = EnvoyCallbacks.Resolve(name => optional.Any(o => name == EnvoyCallbacks.Prefix + o) ? 0 : FakeCallbacks.Lookup(name));

        Assert.Empty(missing);
        Assert.True(EnvoyCallbacks.IsResolved);
    }

    [Fact]
    public void Either_log_entry_point_satisfies_logging_but_not_neither()
    {
        var onlyLegacy = EnvoyCallbacks.Resolve(name => name.EndsWith("_log_v2") ? 0 : name.EndsWith("_log") ? 1 : FakeCallbacks.Lookup(name));
        Assert.Empty(onlyLegacy);

        var none = EnvoyCallbacks.Resolve(name => name.EndsWith("_log_v2") || name.EndsWith("_log") ? 0 : FakeCallbacks.Lookup(name));
        Assert.Single(none);
        Assert.Contains("log_v2", none[0]);
    }

    [Fact]
    public unsafe void Program_init_returns_null_when_callbacks_are_missing_and_the_version_otherwise()
    {
        var failed = ModuleRuntime.Initialize(new FilterRegistry(), () => EnvoyCallbacks.Resolve(_ => 0));
        Assert.True(failed == null);

        var ok = ModuleRuntime.Initialize(new FilterRegistry(), () => EnvoyCallbacks.Resolve(FakeCallbacks.Lookup));
        Assert.True(ok != null);
        var version = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)ok);
        Assert.Equal("v0.2.0", version);
    }
}
