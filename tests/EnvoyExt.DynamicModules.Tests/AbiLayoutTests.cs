using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

/// <summary>
/// The C# side of the ABI must agree with native/include/envoyext/abi.h (audited against Envoy's header,
/// see docs/abi-audit.md): struct layouts crossing by value, and every enum's names and numbers. The enum
/// check reads the C header itself, so a value added or renumbered on one side only fails here.
/// </summary>
public unsafe partial class AbiLayoutTests
{
    [Fact]
    public void Buffers_are_a_pointer_and_a_size_t()
    {
        Assert.Equal(16, sizeof(EnvoyBuffer));
        Assert.Equal(16, sizeof(ModuleBuffer));
        Assert.Equal(8, (int)Marshal.OffsetOf<EnvoyBuffer>(nameof(EnvoyBuffer.Length)));
        Assert.Equal(8, (int)Marshal.OffsetOf<ModuleBuffer>(nameof(ModuleBuffer.Length)));
    }

    [Fact]
    public void Headers_are_key_pointer_key_length_value_pointer_value_length()
    {
        Assert.Equal(32, sizeof(EnvoyHttpHeader));
        Assert.Equal(32, sizeof(ModuleHttpHeader));
        Assert.Equal(new[] { 0, 8, 16, 24 }, Offsets<EnvoyHttpHeader>("KeyPtr", "KeyLength", "ValuePtr", "ValueLength"));
        Assert.Equal(new[] { 0, 8, 16, 24 }, Offsets<ModuleHttpHeader>("KeyPtr", "KeyLength", "ValuePtr", "ValueLength"));
    }

    public static TheoryData<string, Type> EnumsAndTheirCNames => new()
    {
        { "http_header_type", typeof(HttpHeaderType) },
        { "http_body_type", typeof(HttpBodyType) },
        { "http_filter_stream_reset_reason", typeof(HttpFilterStreamResetReason) },
        { "http_stream_reset_reason", typeof(HttpStreamResetReason) },
        { "on_http_filter_request_headers_status", typeof(HeadersStatus) },
        { "on_http_filter_response_headers_status", typeof(HeadersStatus) },
        { "on_http_filter_request_body_status", typeof(BodyStatus) },
        { "on_http_filter_response_body_status", typeof(BodyStatus) },
        { "on_http_filter_request_trailers_status", typeof(TrailersStatus) },
        { "on_http_filter_response_trailers_status", typeof(TrailersStatus) },
        { "on_http_filter_local_reply_status", typeof(LocalReplyStatus) },
        { "http_callout_init_result", typeof(HttpCalloutInitResult) },
        { "http_callout_result", typeof(HttpCalloutResult) },
        { "metrics_result", typeof(MetricsResult) },
        { "log_level", typeof(LogLevel) },
        { "attribute_id", typeof(AttributeId) },
    };

    [Theory]
    [MemberData(nameof(EnumsAndTheirCNames))]
    public void Enum_names_and_values_match_the_C_header(string cName, Type csharpEnum)
    {
        var expected = CEnumerators(cName);
        Assert.NotEmpty(expected);

        var actual = Enum.GetNames(csharpEnum).ToDictionary(n => n, n => Convert.ToInt32(Enum.Parse(csharpEnum, n)));

        Assert.Equal(expected.OrderBy(e => e.Value), actual.OrderBy(e => e.Value));
    }

    private static int[] Offsets<T>(params string[] fields) => fields.Select(f => (int)Marshal.OffsetOf<T>(f)).ToArray();

    /// <summary>Enumerators of <c>envoy_dynamic_module_type_{cName}</c>: name without the prefix, explicit value.</summary>
    private static Dictionary<string, int> CEnumerators(string cName)
    {
        var header = File.ReadAllText(HeaderPath());
        var prefix = "envoy_dynamic_module_type_" + cName;
        var body = Regex.Match(header, @"typedef enum " + prefix + @" \{(?<body>[^}]*)\} " + prefix + ";");
        Assert.True(body.Success, $"enum {prefix} not found in abi.h");
        return EnumeratorPattern().Matches(body.Groups["body"].Value)
            .Where(m => m.Groups["name"].Value.StartsWith(prefix + "_", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups["name"].Value[(prefix.Length + 1)..], m => int.Parse(m.Groups["value"].Value));
    }

    private static string HeaderPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "native", "include", "envoyext", "abi.h");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("native/include/envoyext/abi.h not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"(?<name>envoy_dynamic_module_type_\w+)\s*=\s*(?<value>\d+)")]
    private static partial Regex EnumeratorPattern();
}
