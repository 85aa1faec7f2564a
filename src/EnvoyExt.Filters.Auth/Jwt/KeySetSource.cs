using System.Text;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Auth.Jwt;

/// <summary>Where a worker's key set comes from: inline, a generic secret, or a remote JWKS.</summary>
internal abstract class KeySetSource
{
    /// <summary>This worker's key set, or null when there is none (yet).</summary>
    public abstract JsonWebKeySet? Get(in HttpFilterContext ctx);
}

/// <summary>An inline JWKS (validated when the config was created), imported once per worker.</summary>
internal sealed class InlineKeySet(string json, int cacheSize) : KeySetSource
{
    private readonly byte[] _json = Encoding.UTF8.GetBytes(json);
    private readonly JsonWebKeySet?[] _perWorker = new JsonWebKeySet?[PerWorker.MaxWorkers];

    public override JsonWebKeySet? Get(in HttpFilterContext ctx)
    {
        var worker = ctx.WorkerIndex;
        if (worker >= (uint)_perWorker.Length)
        {
            return JsonWebKeySet.Parse(_json, allowSymmetric: false, 0, out _);
        }
        // Only this worker writes its slot.
        return _perWorker[worker] ??= JsonWebKeySet.Parse(_json, allowSymmetric: false, cacheSize, out _);
    }
}

/// <summary>A JWKS held in a generic secret (HMAC keys allowed); a rotation re-imports on each worker.</summary>
internal sealed class SecretKeySet(SecretView<JsonWebKeySet> view) : KeySetSource
{
    public override JsonWebKeySet? Get(in HttpFilterContext ctx) => view.Get(ctx);
}
