using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>Values a filter prepares at config time for its hot path: header values, metric labels, digits.</summary>
[Collection("EnvoyCallbacks")]
public sealed class PreparedValuesTests : IDisposable
{
    private readonly FakeEnvoy _envoy;
    private readonly CountingFactory _factory = new();
    private readonly FakeStream _stream;

    public PreparedValuesTests()
    {
        _envoy = new FakeEnvoy(_factory);
        _stream = _envoy.NewStream(_envoy.CreateConfig("counting", ""));
    }

    public void Dispose() => _envoy.Dispose();

    [Theory]
    [InlineData(0UL)]
    [InlineData(7UL)]
    [InlineData(10UL)]
    [InlineData(99UL)]
    [InlineData(100UL)]
    [InlineData(9UL)]
    [InlineData(999_999_999UL)]
    [InlineData(1_000_000_000UL)]
    [InlineData(2147483647UL)]
    [InlineData(4294967295UL)]
    [InlineData(4294967296UL)]
    [InlineData(9_999_999_999UL)]
    [InlineData(10_000_000_000_000_000_000UL)]
    [InlineData(1000000000000UL)]
    [InlineData(ulong.MaxValue)]
    public void Digits_match_the_general_formatter(ulong value)
    {
        Span<byte> digits = stackalloc byte[DecimalDigits.MaxLength];
        int written = DecimalDigits.Write(value, digits);
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.ASCII.GetString(digits[..written]));
    }

    [Fact]
    public void A_prepared_value_is_set_as_is_and_a_broken_one_is_refused_when_created()
    {
        var headers = new HeaderMap(_stream.EnvoyPointer, HttpHeaderType.ResponseHeader);
        var name = new HeaderName("x-ratelimit-limit"u8);
        headers.Add("x-ratelimit-limit"u8, "old"u8);

        Assert.True(headers.Set(name, HeaderValue.FromNumber(2147483647)));
        Assert.True(headers.TryGet("x-ratelimit-limit"u8, out var limit) && limit.SequenceEqual("2147483647"u8));
        Assert.Equal(1, headers.Count("x-ratelimit-limit"u8));
        Assert.True(headers.Set(name, new HeaderValue(""u8)));
        Assert.True(headers.TryGet("x-ratelimit-limit"u8, out var empty) && empty.IsEmpty);
        Assert.Throws<ArgumentException>(() => new HeaderValue("1\r\nx-injected: 1"u8));
    }

    [Fact]
    public void Prepared_labels_record_like_spans_and_a_wrong_count_is_refused_without_calling_envoy()
    {
        var metrics = new StreamMetrics(_stream.EnvoyPointer);
        var labels = new MetricLabels("default/api"u8, "per-user"u8);

        Assert.Equal(MetricsResult.Success, metrics.Increment(_factory.Counter, labels));
        Assert.Equal(MetricsResult.Success, metrics.Increment(_factory.Counter, labels, 4));
        Assert.Equal(MetricsResult.Success, metrics.Increment(_factory.Counter, "default/api"u8, "per-user"u8));
        Assert.Equal(6UL, _envoy.Metric("counting_total", "default/api", "per-user"));

        Assert.Equal(MetricsResult.InvalidLabels, metrics.Increment(_factory.Counter, new MetricLabels("only-one"u8)));
        Assert.Equal(MetricsResult.Success, metrics.Increment(_factory.Counter, new MetricLabels(""u8, ""u8)));
        Assert.Equal(1UL, _envoy.Metric("counting_total", "", ""));
        Assert.Equal(6UL, _envoy.Metric("counting_total", "default/api", "per-user"));
    }

    [Fact]
    public void Prepared_labels_move_a_gauge_both_ways_and_a_wrong_count_is_refused()
    {
        var metrics = new StreamMetrics(_stream.EnvoyPointer);
        var labels = new MetricLabels("api"u8);

        Assert.Equal(MetricsResult.Success, metrics.Increase(_factory.Gauge, labels, 3));
        Assert.Equal(MetricsResult.Success, metrics.Decrease(_factory.Gauge, labels));
        Assert.Equal(MetricsResult.Success, metrics.Increase(_factory.Gauge, "api"u8));
        Assert.Equal(3UL, _envoy.Metric("counting_in_flight", "api"));

        Assert.Equal(MetricsResult.InvalidLabels, metrics.Decrease(_factory.Gauge, new MetricLabels("a"u8, "b"u8)));
        Assert.Equal(3UL, _envoy.Metric("counting_in_flight", "api"));
    }

    private sealed class CountingFactory : HttpFilterFactory
    {
        public CounterId Counter { get; private set; }

        public GaugeId Gauge { get; private set; }

        public override string FilterName => "counting";

        public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
        {
            error = null;
            Counter = context.Metrics.DefineCounter("counting_total", "policy", "rule");
            Gauge = context.Metrics.DefineGauge("counting_in_flight", "limiter");
            return new CountingConfig();
        }

        private sealed class CountingConfig : HttpFilterConfig
        {
            public override HttpFilter CreateFilter() => new CountingFilter();
        }

        private sealed class CountingFilter : HttpFilter;
    }
}
