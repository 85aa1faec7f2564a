using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.Auth.Credentials;

namespace EnvoyExt.Filters.Auth.Jwt;

/// <summary>
/// Bearer tokens: read, looked up in the worker's cache of verified tokens (keyed by the token's bytes),
/// verified on first sight, then checked for exp/nbf on every use.
/// </summary>
internal sealed class JwtMethod
{
    private readonly JwtVerifier _verifier;

    public JwtMethod(JwtConfig config, KeySetSource keys, JwtSettings settings)
    {
        Keys = keys;
        Settings = settings;
        _verifier = new JwtVerifier(settings);
        Locations = CredentialLocation.Compile(config.From, CredentialLocation.FromHeader("authorization", "Bearer "));
        StripCredential = !config.KeepToken;
        var claimHeaders = config.ClaimsToHeaders ?? [];
        ClaimHeaders = [.. claimHeaders.Select(c => (new HeaderName(Encoding.UTF8.GetBytes(c.Header!)), Array.IndexOf(settings.ClaimNames, c.Claim)))];
    }

    public KeySetSource Keys { get; }

    public JwtSettings Settings { get; }

    public CredentialLocation[] Locations { get; }

    public bool StripCredential { get; }

    /// <summary>Header and index into <see cref="VerifiedToken.Claims"/>.</summary>
    public (HeaderName Header, int Claim)[] ClaimHeaders { get; }

    public MethodOutcome Check(in HttpFilterContext ctx, ref Identity identity, long nowSeconds, out JwtFailure failure)
    {
        failure = JwtFailure.None;
        if (!CredentialLocation.TryRead(Locations, ctx.RequestHeaders, out var token))
        {
            return MethodOutcome.Missing;
        }
        if (token.Length > AuthFilterContract.MaxCredentialBytes)
        {
            failure = JwtFailure.Malformed;
            return MethodOutcome.Invalid;
        }
        var keys = Keys.Get(ctx);
        if (keys is null)
        {
            return Keys is RemoteKeySet ? MethodOutcome.NeedsKeys : MethodOutcome.Invalid;
        }
        if (!keys.Verified.TryGet(token, out var verified))
        {
            verified = _verifier.Verify(token, keys, nowSeconds, out failure);
            if (verified is null)
            {
                return MethodOutcome.Invalid;
            }
            // Cached even when outside its validity window: the signature is good, and the window is re-checked on every use.
            keys.Verified.Add(token, verified);
        }
        if (!verified!.IsCurrent(nowSeconds, Settings.ClockSkewSeconds))
        {
            failure = nowSeconds >= verified.Expires ? JwtFailure.Expired : JwtFailure.NotYetValid;
            return MethodOutcome.Invalid;
        }
        failure = JwtFailure.None;
        identity.Token = verified;
        return MethodOutcome.Passed;
    }
}
