using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

public class HeaderListTests
{
    [Fact]
    public void Keeps_headers_in_order_including_repeated_keys()
    {
        var list = new HeaderList(stackalloc byte[128]);
        Assert.True(list.Add("x-a"u8, "1"u8));
        Assert.True(list.Add("x-b"u8, ""u8));
        Assert.True(list.Add("x-a"u8, "2"u8));

        Assert.Equal(3, list.Count);
        Assert.True(list[0].Key.SequenceEqual("x-a"u8) && list[0].Value.SequenceEqual("1"u8));
        Assert.True(list[1].Key.SequenceEqual("x-b"u8) && list[1].Value.IsEmpty);
        Assert.True(list[2].Key.SequenceEqual("x-a"u8) && list[2].Value.SequenceEqual("2"u8));
    }

    [Fact]
    public void Copies_values_so_the_source_buffer_can_be_reused()
    {
        var list = new HeaderList(stackalloc byte[64]);
        Span<byte> scratch = stackalloc byte[4];
        "1234"u8.CopyTo(scratch);
        list.Add("x-n"u8, scratch);
        "9999"u8.CopyTo(scratch);

        Assert.True(list[0].Value.SequenceEqual("1234"u8));
    }

    [Fact]
    public void Refuses_invalid_values_and_keys_without_adding()
    {
        var list = new HeaderList(stackalloc byte[64]);
        Assert.False(list.Add("x-a"u8, "v\r\nx-evil: 1"u8));
        Assert.False(list.Add(""u8, "v"u8));
        Assert.False(list.Add("x-\0"u8, "v"u8));
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void Refuses_when_storage_is_full_and_keeps_earlier_entries()
    {
        var list = new HeaderList(stackalloc byte[16]);
        Assert.True(list.Add("x-a"u8, "12345"u8));   // 4 + 3 + 5 = 12 bytes
        Assert.False(list.Add("x-b"u8, "1"u8));      // needs 8 more, only 4 left
        Assert.Equal(1, list.Count);
        Assert.True(list[0].Value.SequenceEqual("12345"u8));
    }

    [Fact]
    public void Index_out_of_range_throws()
    {
        var list = new HeaderList(stackalloc byte[16]);
        list.Add("k"u8, "v"u8);
        var threw = false;
        try
        {
            _ = list[1];
        }
        catch (ArgumentOutOfRangeException)
        {
            threw = true;
        }
        Assert.True(threw);
    }
}
