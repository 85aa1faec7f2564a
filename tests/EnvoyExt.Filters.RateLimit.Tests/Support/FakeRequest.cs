using System.Text;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.RateLimit.Tests.Support;

/// <summary>A request built in the test; header names are stored lower-case as Envoy does.</summary>
internal sealed class FakeRequest : IRequestView
{
    private readonly List<(byte[] Name, byte[] Value)> _headers = [];
    private byte[] _method = "GET"u8.ToArray();
    private byte[] _path = "/"u8.ToArray();
    private byte[] _source = "127.0.0.1:40000"u8.ToArray();

    public ReadOnlySpan<byte> Method => _method;

    public ReadOnlySpan<byte> PathAndQuery => _path;

    public ReadOnlySpan<byte> SourceAddress => _source;

    public FakeRequest WithMethod(string method)
    {
        _method = Encoding.UTF8.GetBytes(method);
        return this;
    }

    public FakeRequest WithPath(string path)
    {
        _path = Encoding.UTF8.GetBytes(path);
        return this;
    }

    public FakeRequest From(string sourceAddress)
    {
        _source = Encoding.UTF8.GetBytes(sourceAddress);
        return this;
    }

    public FakeRequest WithHeader(string name, string value)
    {
        _headers.Add((Encoding.UTF8.GetBytes(name.ToLowerInvariant()), Encoding.UTF8.GetBytes(value)));
        return this;
    }

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
