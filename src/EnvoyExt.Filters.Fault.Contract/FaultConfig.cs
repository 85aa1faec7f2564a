using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.Fault.Config;

/// <summary>The filter_config document of <c>fault</c> (docs/filters/fault.md), listener or per route.</summary>
public sealed class FaultConfig
{
    /// <summary>Metric label <c>fault</c>; <c>"default"</c> when absent.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>Answer selected requests locally instead of forwarding them.</summary>
    [JsonPropertyName("abort")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FaultAbort? Abort { get; set; }

    /// <summary>Hold selected requests for a fixed time before forwarding (or aborting) them.</summary>
    [JsonPropertyName("delay")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FaultDelay? Delay { get; set; }

    /// <summary>Honour the <c>x-envoy-fault-*</c> request headers (default false: they are ignored).</summary>
    [JsonPropertyName("headerControl")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? HeaderControl { get; set; }

    /// <summary>Faults (delays and aborts) in progress at once across all workers; more requests pass untouched.</summary>
    [JsonPropertyName("maxActiveFaults")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxActiveFaults { get; set; }

    /// <summary>Only requests matching every entry are candidates for a fault; absent: all requests.</summary>
    [JsonPropertyName("headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FaultHeaderMatch>? Headers { get; set; }

    /// <summary>Seeds the random choices so a run is repeatable (listener config only; tests).</summary>
    [JsonPropertyName("seed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Seed { get; set; }
}

/// <summary>The abort fault: an HTTP status, or a gRPC status for gRPC requests.</summary>
public sealed class FaultAbort
{
    /// <summary>Status of the local reply (200..599); gRPC requests get it too when no <see cref="GrpcStatus"/> is set.</summary>
    [JsonPropertyName("httpStatus")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HttpStatus { get; set; }

    /// <summary>The <c>grpc-status</c> (0..16) a gRPC request is answered with; alone, only gRPC requests are aborted.</summary>
    [JsonPropertyName("grpcStatus")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? GrpcStatus { get; set; }

    /// <summary>Share of candidate requests aborted; absent: all of them.</summary>
    [JsonPropertyName("percentage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FaultPercentage? Percentage { get; set; }
}

/// <summary>The delay fault: a fixed hold before the request goes on.</summary>
public sealed class FaultDelay
{
    /// <summary>Milliseconds to hold the request (1..60,000).</summary>
    [JsonPropertyName("fixedDelayMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FixedDelayMs { get; set; }

    /// <summary>Share of candidate requests delayed; absent: all of them.</summary>
    [JsonPropertyName("percentage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FaultPercentage? Percentage { get; set; }
}

/// <summary>A fraction <c>numerator / denominator</c>, as Envoy's FractionalPercent.</summary>
public sealed class FaultPercentage
{
    /// <summary>Required; 0 up to the denominator (larger values count as the whole).</summary>
    [JsonPropertyName("numerator")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Numerator { get; set; }

    /// <summary><c>hundred</c> (default), <c>tenThousand</c> or <c>million</c>.</summary>
    [JsonPropertyName("denominator")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Denominator { get; set; }
}

/// <summary>One request-header condition: exactly one of <see cref="Exact"/>, <see cref="Prefix"/> or <see cref="Present"/>.</summary>
public sealed class FaultHeaderMatch
{
    /// <summary>Lower-case header name.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>The header's value equals this.</summary>
    [JsonPropertyName("exact")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Exact { get; set; }

    /// <summary>The header's value starts with this.</summary>
    [JsonPropertyName("prefix")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Prefix { get; set; }

    /// <summary>True: the header is there; false: it is not.</summary>
    [JsonPropertyName("present")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Present { get; set; }
}
