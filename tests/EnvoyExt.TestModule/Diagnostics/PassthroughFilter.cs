using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.TestModule.Diagnostics;

/// <summary>
/// filter_name "passthrough": overrides nothing, so every hook is the SDK's default Continue. The
/// benchmark uses it to measure the bare cost of crossing the ABI into C#; the SDK pools it, so it
/// allocates nothing per request.
/// </summary>
internal sealed class PassthroughFilterFactory : HttpFilterFactory
{
    public override string FilterName => "passthrough";

    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error) =>
        FlatJsonConfig.TryParse(config, [], out _, out error) ? new PassthroughConfig() : null;

    private sealed class PassthroughConfig : HttpFilterConfig
    {
        public override HttpFilter CreateFilter() => new PassthroughFilter();
    }

    // Nothing to do at any hook: stream_complete and destroy stay native, as for any filter with no end-of-stream work.
    private sealed class PassthroughFilter : HttpFilter
    {
        protected override EndOfStreamHooks EndOfStreamHooks => EndOfStreamHooks.WhenRequested;
    }
}
