using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>The header-map and body views against a fake Envoy stream with Envoy's semantics.</summary>
[Collection("EnvoyCallbacks")]
public class HeaderMapAndBodyTests : IDisposable
{
    private const nint Envoy = 0x5151;

    public HeaderMapAndBodyTests()
    {
        FakeStreamData.Reset();
        Assert.Empty(EnvoyCallbacks.Resolve(FakeStreamData.Lookup));
    }

    public void Dispose() => FakeStreamData.Reset();

    private static HeaderMap Headers => new(Envoy, HttpHeaderType.RequestHeader);

    private static Body Body => new(Envoy, HttpBodyType.BufferedRequestBody);

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
        Assert.Equal(0, FakeStreamData.SetCalls);
        Assert.Equal(0, FakeStreamData.AddCalls);
        Assert.Equal(0, headers.Size);
    }

    [Fact]
    public void Body_length_copy_and_slices_span_every_chunk()
    {
        FakeStreamData.AddBodyChunk("hello ");
        FakeStreamData.AddBodyChunk("world");
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
        FakeStreamData.AddBodyChunk("abc");
        FakeStreamData.AddBodyChunk("def");
        var body = Body;

        Assert.True(body.Drain(4));
        Assert.Equal("ef", FakeStreamData.BodyText);
        Assert.True(body.Append("gh"u8));
        Assert.Equal("efgh", FakeStreamData.BodyText);
        Assert.True(body.Replace("new"u8));
        Assert.Equal("new", FakeStreamData.BodyText);
        Assert.Throws<ArgumentOutOfRangeException>(() => Body.Drain(-1));
    }
}
