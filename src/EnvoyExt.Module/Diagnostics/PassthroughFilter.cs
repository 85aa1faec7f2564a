using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Module.Diagnostics;

/// <summary>
/// filter_name "passthrough": overrides nothing, so every hook is the SDK's default Continue. The
/// benchmark uses it to measure the bare cost of crossing the ABI into C#; pooled, so it allocates
/// nothing per request.
/// </summary>
internal sealed class PassthroughFilterFactory : IHttpFilterFactory
{
    public string FilterName => "passthrough";

    public HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        if (!FlatJsonConfig.TryParse(config, [], out _, out error))
        {
            return null;
        }
        return new PassthroughConfig();
    }

    public object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
    {
        error = "$: passthrough has no per-route config";
        return null;
    }

    private sealed class PassthroughConfig : HttpFilterConfig
    {
        private readonly FilterPool<PassthroughFilter> _pool;

        public PassthroughConfig() => _pool = new FilterPool<PassthroughFilter>(() => new PassthroughFilter(this));

        public override HttpFilter CreateFilter(uint workerIndex) => _pool.Rent(workerIndex);

        public void Return(PassthroughFilter filter) => _pool.Return(filter);

        public override void Dispose()
        {
            _pool.Dispose();
            base.Dispose();
        }
    }

    private sealed class PassthroughFilter(PassthroughConfig config) : HttpFilter
    {
        public override void OnDestroy() => config.Return(this);
    }
}
