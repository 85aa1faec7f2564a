using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

public class HeaderValidationTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("with spaces and \t tab")]
    [InlineData("caf\u00e9")]
    public void Accepts_values_without_control_line_breaks(string value) =>
        Assert.True(HeaderValidation.IsValidValue(System.Text.Encoding.UTF8.GetBytes(value)));

    [Theory]
    [InlineData("a\rb")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("ok\r\nx-injected: 1")]
    public void Rejects_CR_LF_and_NUL_in_values(string value) =>
        Assert.False(HeaderValidation.IsValidValue(System.Text.Encoding.UTF8.GetBytes(value)));

    [Fact]
    public void Rejects_empty_or_broken_keys()
    {
        Assert.False(HeaderValidation.IsValidKey(""u8));
        Assert.False(HeaderValidation.IsValidKey("x-a\nb"u8));
        Assert.True(HeaderValidation.IsValidKey(":path"u8));
    }
}
