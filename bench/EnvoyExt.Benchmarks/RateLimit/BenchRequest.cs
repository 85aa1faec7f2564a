using System.Text;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// A request held in arrays. A struct, so generic matchers are specialised for it exactly as they are for
/// the filter's ref-struct view of Envoy's header map (no interface dispatch).
/// </summary>
internal readonly struct BenchRequest : IRequestView
{
    private readonly (byte[] Name, byte[] Value)[] _headers;
    private readonly byte[] _method;
    private readonly byte[] _path;
    private readonly byte[] _source;

    public BenchRequest(string method, string path, string source, params (string Name, string Value)[] headers)
    {
        _method = Encoding.UTF8.GetBytes(method);
        _path = Encoding.UTF8.GetBytes(path);
        _source = Encoding.UTF8.GetBytes(source);
        _headers = headers.Select(h => (Encoding.UTF8.GetBytes(h.Name), Encoding.UTF8.GetBytes(h.Value))).ToArray();
    }

    public ReadOnlySpan<byte> Method => _method;

    public ReadOnlySpan<byte> PathAndQuery => _path;

    public ReadOnlySpan<byte> SourceAddress => _source;

    public bool TryGetHeader(ReadOnlySpan<byte> lowerCaseName, int index, out ReadOnlySpan<byte> value)
    {
        int seen = 0;
        foreach (var (name, v) in _headers)
        {
            if (name.AsSpan().SequenceEqual(lowerCaseName) && seen++ == index)
            {
                value = v;
                return true;
            }
        }
        value = default;
        return false;
    }
}
