using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>The header-map and body views against a fake Envoy stream with Envoy's semantics.</summary>
[Collection("EnvoyCallbacks")]
public sealed class HeaderMapAndBodyTests : IDisposable
{
    private readonly FakeEnvoy _envoy;
    private readonly FakeStream _stream;

    public HeaderMapAndBodyTests()
    {
        _envoy = new FakeEnvoy(new NoopFilterFactory());
        _stream = _envoy.NewStream(_envoy.CreateConfig("noop", ""));
    }

    public void Dispose() => _envoy.Dispose();

    private HeaderMap Headers => new(_stream.EnvoyPointer, HttpHeaderType.RequestHeader);

    private Body Body => new(_stream.EnvoyPointer, HttpBodyType.BufferedRequestBody);

    [Fact]
    public void Repeated_values_are_read_by_index_counted_and_enumerated()
    {
        var headers = Headers;
        headers.Add("x-a"u8, "1"u8);
        headers.Add("x-b"u8, "b"u8);
        headers.Add("x-a"u8, "2"u8);

        Assert.True(headers.TryGet("x-a"u8, out var first) && first.SequenceEqual("1"u8));
        Assert.True(headers.TryGet("x-a"u8, 1, out var second) && second.SequenceEqual("2"u8));
        Assert.False(headers.TryGet("x-a"u8, 2, out _));
        Assert.False(headers.TryGet("x-missing"u8, out _));
        Assert.Equal(2, headers.Count("x-a"u8));
        Assert.Equal(0, headers.Count("x-missing"u8));
        Assert.Equal(3, headers.Size);

        var seen = new List<string>();
        foreach (var header in headers)
        {
            seen.Add(System.Text.Encoding.UTF8.GetString(header.Key) + "=" + System.Text.Encoding.UTF8.GetString(header.Value));
        }
        Assert.Equal(["x-a=1", "x-b=b", "x-a=2"], seen);
    }

    [Fact]
    public void A_snapshot_answers_first_values_by_name_as_of_when_it_was_taken()
    {
        var headers = Headers;
        Assert.Equal(0, headers.Snapshot().Count);
        headers.Add("x-a"u8, "1"u8);
        headers.Add("x-bb"u8, "b"u8);
        headers.Add("x-a"u8, "2"u8);
        headers.Add("x-c"u8, ""u8);

        var snapshot = headers.Snapshot();

        Assert.Equal(4, snapshot.Count);
        Assert.True(snapshot.TryGet("x-a"u8, out var a) && a.SequenceEqual("1"u8));
        Assert.True(snapshot.TryGet("x-bb"u8, out var b) && b.SequenceEqual("b"u8));
        Assert.True(snapshot.TryGet("x-c"u8, out var c) && c.IsEmpty);
        Assert.False(snapshot.TryGet("x-b"u8, out _)); // same length as x-a and x-c, different name
        Assert.False(snapshot.TryGet("x-missing"u8, out var missing) || !missing.IsEmpty);
    }

    [Fact]
    public void Set_replaces_every_value_and_an_empty_value_is_kept_not_removed()
    {
        var headers = Headers;
        headers.Add("x-a"u8, "1"u8);
        headers.Add("x-a"u8, "2"u8);

        Assert.True(headers.Set("x-a"u8, "3"u8));
        Assert.Equal(1, headers.Count("x-a"u8));

        Assert.True(headers.Set("x-a"u8, ""u8));
        Assert.Equal(1, headers.Count("x-a"u8));
        Assert.True(headers.TryGet("x-a"u8, out var empty) && empty.IsEmpty);
    }

    [Fact]
    public void A_checked_name_sets_numbers_as_digits_and_still_refuses_broken_values()
    {
        var headers = Headers;
        var name = new HeaderName("x-ratelimit-remaining"u8);
        headers.Add("x-ratelimit-remaining"u8, "stale"u8);

        Assert.True(headers.Set(name, 0UL));
        Assert.True(headers.TryGet("x-ratelimit-remaining"u8, out var zero) && zero.SequenceEqual("0"u8));
        Assert.True(headers.Set(name, ulong.MaxValue));
        Assert.True(headers.TryGet("x-ratelimit-remaining"u8, out var max) && max.SequenceEqual("18446744073709551615"u8));
        Assert.Equal(1, headers.Count("x-ratelimit-remaining"u8));

        Assert.True(headers.Set(name, "7"u8));
        Assert.False(headers.Set(name, "7\r\nx-injected: 1"u8));
        Assert.True(headers.TryGet("x-ratelimit-remaining"u8, out var kept) && kept.SequenceEqual("7"u8));
    }

    [Fact]
    public void A_header_name_is_checked_when_created() =>
        Assert.Throws<ArgumentException>(() => new HeaderName("x-a\nx-b"u8));

    [Fact]
    public void Remove_deletes_every_value()
    {
        var headers = Headers;
        headers.Add("x-a"u8, "1"u8);
        headers.Add("x-a"u8, "2"u8);
        headers.Add("x-b"u8, "b"u8);

        Assert.True(headers.Remove("x-a"u8));
        Assert.Equal(0, headers.Count("x-a"u8));
        Assert.Equal(1, headers.Size);
    }

    [Fact]
    public void Invalid_values_never_reach_Envoy()
    {
        var headers = Headers;
        Assert.False(headers.Set("x-a"u8, "v\r\nx-evil: 1"u8));
        Assert.False(headers.Add("x-a"u8, "v\0"u8));
        Assert.False(headers.Set(""u8, "v"u8));
        Assert.Equal(0, headers.Size);
        Assert.Equal(0, _stream.RequestHeaders.Count);
    }

    [Fact]
    public void Body_length_copy_and_slices_span_every_chunk()
    {
        _stream.BufferedRequestBody.Append("hello ");
        _stream.BufferedRequestBody.Append("world");
        var body = Body;

        Assert.Equal(11, body.Length); // summed from chunks: the fake has no get_body_size
        Assert.Equal(2, body.ChunkCount);
        Span<byte> all = stackalloc byte[32];
        Assert.Equal(11, body.CopyTo(all));
        Assert.True(all[..11].SequenceEqual("hello world"u8));
        Span<byte> small = stackalloc byte[8];
        Assert.Equal(8, body.CopyTo(small));
        Assert.True(small.SequenceEqual("hello wo"u8));
    }

    [Fact]
    public void Drain_append_and_replace_edit_the_body()
    {
        _stream.BufferedRequestBody.Append("abc");
        _stream.BufferedRequestBody.Append("def");
        var body = Body;

        Assert.True(body.Drain(4));
        Assert.Equal("ef", _stream.BufferedRequestBody.Text);
        Assert.True(body.Append("gh"u8));
        Assert.Equal("efgh", _stream.BufferedRequestBody.Text);
        Assert.True(body.Replace("new"u8));
        Assert.Equal("new", _stream.BufferedRequestBody.Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => Body.Drain(-1));
    }

    [Fact]
    public void Header_maps_are_separate_per_type()
    {
        Headers.Add("x-a"u8, "request"u8);
        new HeaderMap(_stream.EnvoyPointer, HttpHeaderType.ResponseHeader).Add("x-a"u8, "response"u8);

        Assert.Equal("request", _stream.RequestHeaders.Get("x-a"));
        Assert.Equal("response", _stream.ResponseHeaders.Get("x-a"));
    }

    private sealed class NoopFilterFactory : HttpFilterFactory
    {
        public override string FilterName => "noop";

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            error = null;
            return new NoopConfig();
        }

        private sealed class NoopConfig : HttpFilterConfig
        {
            public override HttpFilter CreateFilter() => new NoopFilter();
        }

        private sealed class NoopFilter : HttpFilter;
    }
}
