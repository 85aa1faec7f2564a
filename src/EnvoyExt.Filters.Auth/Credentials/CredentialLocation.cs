using System.Buffers;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.Filters.Auth.Credentials;

/// <summary>
/// One place a credential is read from (a header with an optional scheme prefix, a query parameter or
/// a cookie) and removed from before the upstream. Reads are views into Envoy's header map: use them
/// before any header is changed.
/// </summary>
internal sealed class CredentialLocation
{
    private const int StackPathBytes = 2048;

    private readonly Kind _kind;
    private readonly byte[] _name;
    private readonly byte[] _prefix;

    private CredentialLocation(Kind kind, string name, string? prefix)
    {
        _kind = kind;
        _name = Encoding.UTF8.GetBytes(name);
        _prefix = prefix is null ? [] : Encoding.UTF8.GetBytes(prefix);
    }

    private enum Kind
    {
        Header,
        Query,
        Cookie,
    }

    /// <summary>The header this location reads, when it is one (for challenges and docs).</summary>
    public bool IsHeader(ReadOnlySpan<byte> name) => _kind == Kind.Header && name.SequenceEqual(_name);

    public static CredentialLocation[] Compile(List<CredentialSource>? sources, CredentialLocation fallback)
    {
        if (sources is null)
        {
            return [fallback];
        }
        var compiled = new CredentialLocation[sources.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            var source = sources[i];
            compiled[i] = source.Header is not null ? FromHeader(source.Header, source.Prefix)
                : source.Query is not null ? new CredentialLocation(Kind.Query, source.Query, null)
                : new CredentialLocation(Kind.Cookie, source.Cookie!, null);
        }
        return compiled;
    }

    public static CredentialLocation FromHeader(string name, string? prefix) => new(Kind.Header, name, prefix);

    /// <summary>The first location holding a credential wins; an empty value counts as absent.</summary>
    public static bool TryRead(CredentialLocation[] locations, HeaderMap headers, out ReadOnlySpan<byte> value)
    {
        foreach (var location in locations)
        {
            if (location.TryRead(headers, out value) && !value.IsEmpty)
            {
                return true;
            }
        }
        value = default;
        return false;
    }

    public bool TryRead(HeaderMap headers, out ReadOnlySpan<byte> value)
    {
        value = default;
        switch (_kind)
        {
            case Kind.Header:
                if (!headers.TryGet(_name, out var raw))
                {
                    return false;
                }
                if (_prefix.Length > 0)
                {
                    if (raw.Length < _prefix.Length || !Ascii.EqualsIgnoreCase(raw[.._prefix.Length], _prefix))
                    {
                        return false;
                    }
                    raw = raw[_prefix.Length..];
                }
                value = raw.Trim((byte)' ');
                return true;
            case Kind.Query:
                return headers.TryGet(":path"u8, out var path) && TryFindQueryParameter(path, _name, out value, out _, out _);
            default:
                return headers.TryGet("cookie"u8, out var cookies) && TryFindCookie(cookies, _name, out value, out _, out _);
        }
    }

    /// <summary>Removes the credential from the request (header, query parameter or cookie).</summary>
    public void Remove(HeaderMap headers)
    {
        switch (_kind)
        {
            case Kind.Header:
                // With a scheme prefix, only a value in that scheme is ours to remove.
                if (_prefix.Length == 0 || TryRead(headers, out _))
                {
                    headers.Remove(_name);
                }
                break;
            case Kind.Query:
                if (headers.TryGet(":path"u8, out var path) && TryFindQueryParameter(path, _name, out _, out var start, out var end))
                {
                    // Drop "name=value" and one adjoining separator; a lone parameter also drops the '?'.
                    var cutStart = start;
                    var cutEnd = end;
                    if (cutEnd < path.Length)
                    {
                        cutEnd++;
                    }
                    else if (path[cutStart - 1] is (byte)'&' or (byte)'?')
                    {
                        cutStart--;
                    }
                    Rewrite(headers, ":path"u8, path, cutStart, cutEnd);
                }
                break;
            default:
                if (headers.TryGet("cookie"u8, out var cookies) && TryFindCookie(cookies, _name, out _, out var from, out var to))
                {
                    var cutEnd = to;
                    while (cutEnd < cookies.Length && cookies[cutEnd] is (byte)';' or (byte)' ')
                    {
                        cutEnd++;
                    }
                    var cutStart = from;
                    if (cutEnd == cookies.Length)
                    {
                        while (cutStart > 0 && cookies[cutStart - 1] is (byte)';' or (byte)' ')
                        {
                            cutStart--;
                        }
                    }
                    if (cutStart == 0 && cutEnd == cookies.Length)
                    {
                        headers.Remove("cookie"u8);
                    }
                    else
                    {
                        Rewrite(headers, "cookie"u8, cookies, cutStart, cutEnd);
                    }
                }
                break;
        }
    }

    private static void Rewrite(HeaderMap headers, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, int cutStart, int cutEnd)
    {
        var length = value.Length - (cutEnd - cutStart);
        byte[]? rented = null;
        var buffer = length <= StackPathBytes ? stackalloc byte[StackPathBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        value[..cutStart].CopyTo(buffer);
        value[cutEnd..].CopyTo(buffer[cutStart..]);
        headers.Set(name, buffer[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Finds <c>name=value</c> in the query of a :path (raw, not percent-decoded).</summary>
    internal static bool TryFindQueryParameter(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value,
                                               out int start, out int end)
    {
        value = default;
        start = end = 0;
        var question = path.IndexOf((byte)'?');
        if (question < 0)
        {
            return false;
        }
        var position = question + 1;
        while (position < path.Length)
        {
            var rest = path[position..];
            var amp = rest.IndexOf((byte)'&');
            var pair = amp < 0 ? rest : rest[..amp];
            var fragment = pair.IndexOf((byte)'#');
            if (fragment >= 0)
            {
                pair = pair[..fragment];
            }
            if (pair.Length > name.Length && pair[name.Length] == (byte)'=' && pair[..name.Length].SequenceEqual(name))
            {
                value = pair[(name.Length + 1)..];
                start = position;
                end = position + pair.Length;
                return true;
            }
            if (amp < 0 || fragment >= 0)
            {
                break;
            }
            position += amp + 1;
        }
        return false;
    }

    /// <summary>Finds <c>name=value</c> in a Cookie header.</summary>
    internal static bool TryFindCookie(ReadOnlySpan<byte> cookies, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value,
                                       out int start, out int end)
    {
        value = default;
        start = end = 0;
        var position = 0;
        while (position < cookies.Length)
        {
            while (position < cookies.Length && cookies[position] == (byte)' ')
            {
                position++;
            }
            var rest = cookies[position..];
            var semicolon = rest.IndexOf((byte)';');
            var pair = semicolon < 0 ? rest : rest[..semicolon];
            if (pair.Length > name.Length && pair[name.Length] == (byte)'=' && pair[..name.Length].SequenceEqual(name))
            {
                value = pair[(name.Length + 1)..].TrimEnd((byte)' ');
                if (value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"')
                {
                    value = value[1..^1];
                }
                start = position;
                end = position + pair.Length;
                return true;
            }
            if (semicolon < 0)
            {
                break;
            }
            position += semicolon + 1;
        }
        return false;
    }
}
