using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.Authorization;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.Auth.Jwt;

namespace EnvoyExt.Filters.Auth;

/// <summary>
/// Per-stream adapter: authenticates on the request headers (methods combined by all/any), applies the
/// authorization rules, then edits the request: spoofable identity headers cleared, credentials
/// removed, the identity forwarded. 401 with WWW-Authenticate for missing or invalid credentials, 403
/// for a rule's denial. Only the first request needing a remote JWKS waits (for its fetch).
/// </summary>
internal sealed class AuthFilter(AuthFilterConfig config) : HttpFilter<AuthFilter.Fetch>
{
    private const int StackHeaderBytes = 512;

    // OnStreamComplete has work only on a stream that started a background JWKS refresh.
    protected override EndOfStreamHooks EndOfStreamHooks => EndOfStreamHooks.WhenRequested;

    public override HeadersStatus OnRequestHeaders(HttpFilterContext ctx, bool endOfStream)
    {
        if (ctx.RouteConfig<RouteAuthConfig>() is not null)
        {
            return HeadersStatus.Continue;
        }
        return Decide(ctx, keysFetched: false) ? HeadersStatus.Continue : HeadersStatus.StopIteration;
    }

    public override void OnHttpCalloutDone(HttpFilterContext ctx, ulong calloutId, HttpCalloutResult result, CalloutResponse response)
    {
        ref var fetch = ref State;
        if (fetch.Kind == FetchKind.None || calloutId != fetch.CalloutId)
        {
            return;
        }
        var remote = config.RemoteKeys!;
        var waiting = fetch.Kind == FetchKind.Blocking;
        fetch.Kind = FetchKind.None;
        var published = false;
        if (result == HttpCalloutResult.Success && response.TryGetHeader(":status"u8, out var status) && status.SequenceEqual("200"u8) &&
            response.BodyLength is > 0 and <= AuthFilterContract.MaxJwksBytes)
        {
            var json = new byte[response.BodyLength];
            response.CopyBodyTo(json);
            published = remote.Publish(json, config.Time.GetUtcNow().ToUnixTimeMilliseconds(), out _);
        }
        ctx.Metrics.Increment(config.Metrics.JwksFetches, config.NameUtf8, published ? "ok"u8 : "failed"u8);
        if (!waiting)
        {
            remote.ReleaseRefresh();
            return;
        }
        if (Decide(ctx, keysFetched: true))
        {
            ctx.ContinueDecoding();
        }
    }

    public override void OnStreamComplete(HttpFilterContext ctx)
    {
        // A background refresh whose stream ended before the answer: let another stream claim it.
        if (State.Kind == FetchKind.Background)
        {
            config.RemoteKeys?.ReleaseRefresh();
            State.Kind = FetchKind.None;
        }
    }

    /// <summary>True when the request may continue; false when it was answered or waits for keys.</summary>
    private bool Decide(HttpFilterContext ctx, bool keysFetched)
    {
        var now = config.Time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeSeconds();
        var identity = default(Identity);
        var outcome = Authenticate(ctx, ref identity, nowSeconds, out var passedMethod);
        if (outcome == MethodOutcome.NeedsKeys)
        {
            if (keysFetched || !StartFetch(ctx, FetchKind.Blocking))
            {
                Unauthorized(ctx, "keys_unavailable"u8);
                return false;
            }
            return false;
        }
        if (outcome != MethodOutcome.Passed)
        {
            Unauthorized(ctx, outcome == MethodOutcome.Missing ? "missing"u8 : "invalid"u8);
            return false;
        }
        if (!config.Rules.Allows(ctx, identity, out var rule))
        {
            Forbidden(ctx, rule);
            return false;
        }
        Forward(ctx, identity);
        ctx.Metrics.Increment(config.Metrics.Allowed, config.NameUtf8, passedMethod);
        if (config.RemoteKeys is { } remote && !keysFetched && remote.TryClaimRefresh(now.ToUnixTimeMilliseconds()) &&
            !StartFetch(ctx, FetchKind.Background))
        {
            remote.ReleaseRefresh();
        }
        return true;
    }

    /// <summary>all: every method passes (identities of all). any: the first that passes (its identity only).</summary>
    private MethodOutcome Authenticate(HttpFilterContext ctx, ref Identity identity, long nowSeconds, out ReadOnlySpan<byte> passedMethod)
    {
        passedMethod = config.CombineAny ? default : "all"u8;
        var worst = MethodOutcome.Passed;
        var anyMissing = true;
        var needsKeys = false;
        for (var method = 0; method < 3; method++)
        {
            var outcome = method switch
            {
                0 => config.ApiKey?.Check(ctx, ref identity),
                1 => config.BasicAuth?.Check(ctx, ref identity),
                _ => config.Jwt?.Check(ctx, ref identity, nowSeconds, out _),
            };
            if (outcome is not { } result)
            {
                continue;
            }
            if (config.CombineAny)
            {
                if (result == MethodOutcome.Passed)
                {
                    passedMethod = method switch { 0 => "apiKey"u8, 1 => "basicAuth"u8, _ => "jwt"u8 };
                    return MethodOutcome.Passed;
                }
                needsKeys |= result == MethodOutcome.NeedsKeys;
                anyMissing &= result == MethodOutcome.Missing;
                continue;
            }
            if (result != MethodOutcome.Passed)
            {
                // all: a missing credential is reported as such unless another one was wrong.
                worst = result == MethodOutcome.Invalid || worst == MethodOutcome.Passed ? result : worst;
            }
        }
        if (config.CombineAny)
        {
            return needsKeys ? MethodOutcome.NeedsKeys : anyMissing ? MethodOutcome.Missing : MethodOutcome.Invalid;
        }
        return worst;
    }

    private void Forward(HttpFilterContext ctx, in Identity identity)
    {
        var headers = ctx.RequestHeaders;
        // Identity headers are ours: a client-sent value is never passed on, whichever method won.
        if (config.ApiKey is { } apiKey)
        {
            if (apiKey.ClientIdHeader is { } clientIdHeader)
            {
                headers.Remove(clientIdHeader.Bytes);
            }
            if (apiKey.StripCredential)
            {
                foreach (var location in apiKey.Locations)
                {
                    location.Remove(headers);
                }
            }
        }
        if (config.BasicAuth is { } basic)
        {
            if (basic.UserHeader is { } userHeader)
            {
                headers.Remove(userHeader.Bytes);
            }
            if (basic.StripCredential)
            {
                basic.Location.Remove(headers);
            }
        }
        if (config.Jwt is { } jwt)
        {
            foreach (var (header, _) in jwt.ClaimHeaders)
            {
                headers.Remove(header.Bytes);
            }
            if (jwt.StripCredential)
            {
                foreach (var location in jwt.Locations)
                {
                    location.Remove(headers);
                }
            }
        }
        if (identity.ApiKeyClientId is { } clientId && config.ApiKey!.ClientIdHeader is { } idHeader)
        {
            headers.Set(idHeader, clientId);
        }
        if (identity.BasicUser is { } user && config.BasicAuth!.UserHeader is { } nameHeader)
        {
            headers.Set(nameHeader, user);
        }
        if (identity.Token is { } token)
        {
            foreach (var (header, claim) in config.Jwt!.ClaimHeaders)
            {
                if (token.Claims[claim] is { } value)
                {
                    headers.Set(header, value.HeaderValue);
                }
            }
        }
    }

    private bool StartFetch(HttpFilterContext ctx, FetchKind kind)
    {
        var remote = config.RemoteKeys!;
        var headers = new HeaderList(stackalloc byte[StackHeaderBytes + remote.Path.Length + remote.Host.Length]);
        headers.Add(":method"u8, "GET"u8);
        headers.Add(":path"u8, remote.Path);
        headers.Add("host"u8, remote.Host);
        headers.Add("accept"u8, "application/json"u8);
        if (ctx.StartHttpCallout(remote.Cluster, headers, default, remote.TimeoutMs, out var id) != HttpCalloutInitResult.Success)
        {
            ctx.Metrics.Increment(config.Metrics.JwksFetches, config.NameUtf8, "failed"u8);
            return false;
        }
        ref var fetch = ref State;
        fetch.Kind = kind;
        fetch.CalloutId = id;
        ctx.RequestEndOfStreamHooks();
        return true;
    }

    private void Unauthorized(HttpFilterContext ctx, ReadOnlySpan<byte> reason)
    {
        ctx.Metrics.Increment(config.Metrics.Unauthorized, config.NameUtf8, reason);
        var headers = new HeaderList(stackalloc byte[StackHeaderBytes]);
        foreach (var challenge in config.Challenges)
        {
            headers.Add("www-authenticate"u8, challenge);
        }
        ctx.SendLocalResponse(401, headers, "unauthorized\n"u8, "auth_unauthorized"u8);
    }

    private void Forbidden(HttpFilterContext ctx, CompiledRule? rule)
    {
        ctx.Metrics.Increment(config.Metrics.Forbidden, config.NameUtf8, rule is null ? "default"u8 : rule.Name);
        ctx.SendLocalResponse(403, "forbidden\n"u8, "auth_forbidden"u8);
    }

    internal enum FetchKind : byte
    {
        None,
        Blocking,
        Background,
    }

    /// <summary>The JWKS fetch this stream started, if any (SDK-cleared per stream).</summary>
    internal struct Fetch
    {
        public FetchKind Kind;
        public ulong CalloutId;
    }
}
