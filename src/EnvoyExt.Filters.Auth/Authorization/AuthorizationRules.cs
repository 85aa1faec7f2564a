using System.Net;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.Auth.Authorization;

/// <summary>First matching rule decides; no match means the default action.</summary>
internal sealed class AuthorizationRules(CompiledRule[] rules, bool defaultAllow)
{
    public CompiledRule[] Rules { get; } = rules;

    public bool DefaultAllow { get; } = defaultAllow;

    /// <summary>Everything-allowed: no rules and an allow default.</summary>
    public static AuthorizationRules AllowAll { get; } = new([], true);

    public static AuthorizationRules Compile(AuthorizationConfig? config, string[] claimNames)
    {
        if (config is null)
        {
            return AllowAll;
        }
        var rules = (config.Rules ?? []).Select((r, i) => CompiledRule.Compile(r, i, claimNames)).ToArray();
        return new AuthorizationRules(rules, config.DefaultAction != "deny");
    }

    /// <summary>The deciding rule (null for the default) and whether the request may pass.</summary>
    public bool Allows(in HttpFilterContext ctx, in Identity identity, out CompiledRule? decidedBy)
    {
        if (Rules.Length == 0)
        {
            decidedBy = null;
            return DefaultAllow;
        }
        var headers = ctx.RequestHeaders;
        Span<byte> address = stackalloc byte[16];
        var addressLength = -1;
        foreach (var rule in Rules)
        {
            if (rule.Matches(ctx, headers, identity, address, ref addressLength))
            {
                decidedBy = rule;
                return rule.Allow;
            }
        }
        decidedBy = null;
        return DefaultAllow;
    }
}

/// <summary>One rule: every stated condition must hold; within a list, one element is enough.</summary>
internal sealed class CompiledRule
{
    private (byte[] Network, int Prefix)[] _cidrs = [];
    private byte[][] _methods = [];
    private byte[][] _pathPrefixes = [];
    private (byte[] Name, byte[]? Value)[] _headers = [];
    private (int Claim, byte[] Value)[] _claims = [];

    private CompiledRule(string name, bool allow)
    {
        Name = Encoding.UTF8.GetBytes(name);
        Allow = allow;
    }

    public byte[] Name { get; }

    public bool Allow { get; }

    public static CompiledRule Compile(AuthorizationRule rule, int index, string[] claimNames) => new(rule.Name ?? $"rule{index}", rule.Action == "allow")
    {
        _cidrs = [.. (rule.SourceCidrs ?? []).Select(c =>
        {
            var network = IPNetwork.Parse(c);
            var bytes = network.BaseAddress.IsIPv4MappedToIPv6 ? network.BaseAddress.MapToIPv4().GetAddressBytes() : network.BaseAddress.GetAddressBytes();
            return (bytes, network.PrefixLength);
        })],
        _methods = [.. (rule.Methods ?? []).Select(Encoding.ASCII.GetBytes)],
        _pathPrefixes = [.. (rule.PathPrefixes ?? []).Select(Encoding.UTF8.GetBytes)],
        _headers = [.. (rule.Headers ?? []).Select(h => (Encoding.UTF8.GetBytes(h.Name!), h.Value is null ? null : Encoding.UTF8.GetBytes(h.Value)))],
        _claims = [.. (rule.Claims ?? []).Select(c => (Array.IndexOf(claimNames, c.Name), Encoding.UTF8.GetBytes(c.Value!)))],
    };

    public bool Matches(in HttpFilterContext ctx, HeaderMap headers, in Identity identity, Span<byte> address, ref int addressLength)
    {
        if (_methods.Length > 0 && !(headers.TryGet(":method"u8, out var method) && AnyEqual(_methods, method)))
        {
            return false;
        }
        if (_pathPrefixes.Length > 0 && !(headers.TryGet(":path"u8, out var path) && AnyPrefix(_pathPrefixes, PathOnly(path))))
        {
            return false;
        }
        foreach (var (name, value) in _headers)
        {
            if (!headers.TryGet(name, out var actual) || (value is not null && !actual.SequenceEqual(value)))
            {
                return false;
            }
        }
        foreach (var (claim, value) in _claims)
        {
            if (identity.Token?.Claims[claim] is not { } held || !held.Holds(value))
            {
                return false;
            }
        }
        if (_cidrs.Length > 0)
        {
            if (addressLength < 0)
            {
                addressLength = ctx.TryGetAttributeString(AttributeId.SourceAddress, out var source) ? IpAddressParser.Parse(source, address) : 0;
            }
            if (!AnyContains(_cidrs, address[..addressLength]))
            {
                return false;
            }
        }
        return true;
    }

    private static ReadOnlySpan<byte> PathOnly(ReadOnlySpan<byte> path)
    {
        var query = path.IndexOfAny((byte)'?', (byte)'#');
        return query < 0 ? path : path[..query];
    }

    private static bool AnyEqual(byte[][] candidates, ReadOnlySpan<byte> value)
    {
        foreach (var candidate in candidates)
        {
            if (value.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    private static bool AnyPrefix(byte[][] prefixes, ReadOnlySpan<byte> path)
    {
        foreach (var prefix in prefixes)
        {
            if (path.StartsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    private static bool AnyContains((byte[] Network, int Prefix)[] cidrs, ReadOnlySpan<byte> address)
    {
        foreach (var (network, prefix) in cidrs)
        {
            if (address.Length != network.Length)
            {
                continue;
            }
            var full = prefix >> 3;
            if (!address[..full].SequenceEqual(network.AsSpan(0, full)))
            {
                continue;
            }
            var bits = prefix & 7;
            if (bits == 0 || ((address[full] ^ network[full]) & (0xFF << (8 - bits)) & 0xFF) == 0)
            {
                return true;
            }
        }
        return false;
    }
}
