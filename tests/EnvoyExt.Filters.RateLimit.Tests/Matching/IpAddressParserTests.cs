using System.Net;
using System.Text;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.RateLimit.Tests.Matching;

public class IpAddressParserTests
{
    [Theory]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("1.2.3.4:80", "1.2.3.4")]
    [InlineData("255.255.255.255:65535", "255.255.255.255")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]:8080", "::1")]
    [InlineData("2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334")]
    [InlineData("[2001:DB8:0:0:1:0:0:1]:1", "2001:db8::1:0:0:1")]
    [InlineData("::", "::")]
    [InlineData("1::", "1::")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8")]
    [InlineData("::ffff:192.168.0.1", "192.168.0.1")]
    [InlineData("[::ffff:10.0.0.1]:9", "10.0.0.1")]
    [InlineData("64:ff9b::1.2.3.4", "64:ff9b::102:304")]
    [InlineData("[fe80::1%eth0]:1", "fe80::1")]
    public void ParsesLikeIPAddress(string text, string expected)
    {
        Span<byte> bytes = stackalloc byte[16];
        int n = IpAddressParser.Parse(Encoding.ASCII.GetBytes(text), bytes);
        Assert.Equal(IPAddress.Parse(expected).GetAddressBytes(), bytes[..n].ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4444")]
    [InlineData("1..2.3")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1::2::3")]
    [InlineData("12345::")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("g::1")]
    [InlineData("[::1")]
    [InlineData("1:")]
    [InlineData("unix:/tmp/sock")]
    public void RejectsMalformedAddresses(string text)
    {
        Span<byte> bytes = stackalloc byte[16];
        Assert.Equal(0, IpAddressParser.Parse(Encoding.ASCII.GetBytes(text), bytes));
    }
}
