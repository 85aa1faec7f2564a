using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

public class FilterRegistryTests
{
    internal sealed class NamedFactory(string name) : HttpFilterFactory
    {
        public override string FilterName => name;

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            error = "unused";
            return null;
        }
    }

    [Fact]
    public void Finds_factories_by_exact_filter_name()
    {
        var registry = new FilterRegistry();
        var factory = new NamedFactory("rate_limit");
        registry.Register(factory);

        Assert.True(registry.TryGet("rate_limit", out var found));
        Assert.Same(factory, found);
        Assert.False(registry.TryGet("Rate_Limit", out _));
        Assert.False(registry.TryGet("unknown", out _));
    }

    [Fact]
    public void Rejects_duplicate_and_empty_names_with_the_name_in_the_message()
    {
        var registry = new FilterRegistry();
        registry.Register(new NamedFactory("a"));
        var duplicate = Assert.Throws<ArgumentException>(() => registry.Register(new NamedFactory("a")));
        Assert.Contains("'a'", duplicate.Message);
        Assert.Throws<ArgumentException>(() => registry.Register(new NamedFactory("")));
    }
}
