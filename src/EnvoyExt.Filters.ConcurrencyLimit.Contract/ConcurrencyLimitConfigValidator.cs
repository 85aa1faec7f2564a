using System.Globalization;

namespace EnvoyExt.Filters.ConcurrencyLimit.Config;

/// <summary>Range and presence checks; returns the first error as "json.path: reason", or null when valid.</summary>
internal static class ConcurrencyLimitConfigValidator
{
    public static string? Validate(ConcurrencyLimitConfig config)
    {
        if (config.Name is { } name)
        {
            if (name.Length == 0 || name.Length > ConcurrencyLimitFilterContract.MaxNameLength)
            {
                return Invariant($"name: must be 1 to {ConcurrencyLimitFilterContract.MaxNameLength} characters (got {name.Length})");
            }
            foreach (char c in name)
            {
                if (c < 0x21 || c > 0x7e)
                {
                    return "name: must be printable ASCII without spaces";
                }
            }
        }
        if (config.MaxConcurrentRequests is not { } max)
        {
            return "maxConcurrentRequests: required";
        }
        if (max < 1 || max > ConcurrencyLimitFilterContract.MaxConcurrentRequestsLimit)
        {
            return Invariant($"maxConcurrentRequests: must be between 1 and {ConcurrencyLimitFilterContract.MaxConcurrentRequestsLimit} (got {max})");
        }
        if (config.Adaptive is { } adaptive && ValidateAdaptive(adaptive, max) is { } adaptiveError)
        {
            return adaptiveError;
        }
        if (config.Queue is not { } queue)
        {
            return null;
        }
        if (queue.MaxSize is not { } size)
        {
            return "queue.maxSize: required";
        }
        if (size < 1 || size > ConcurrencyLimitFilterContract.MaxQueueSizeLimit)
        {
            return Invariant($"queue.maxSize: must be between 1 and {ConcurrencyLimitFilterContract.MaxQueueSizeLimit} (got {size})");
        }
        if (queue.MaxWaitMs is not { } wait)
        {
            return "queue.maxWaitMs: required";
        }
        if (wait < 1 || wait > ConcurrencyLimitFilterContract.MaxWaitMsLimit)
        {
            return Invariant($"queue.maxWaitMs: must be between 1 and {ConcurrencyLimitFilterContract.MaxWaitMsLimit} (got {wait})");
        }
        return null;
    }

    private static string? ValidateAdaptive(ConcurrencyLimitAdaptiveOptions adaptive, int max) =>
        Range("adaptive.minConcurrency", adaptive.MinConcurrency, 1, max)
        ?? Range("adaptive.sampleWindowMs", adaptive.SampleWindowMs, ConcurrencyLimitFilterContract.MinSampleWindowMs, ConcurrencyLimitFilterContract.MaxSampleWindowMs)
        ?? Range("adaptive.percentile", adaptive.Percentile, 1, 100)
        ?? Range("adaptive.bufferPercent", adaptive.BufferPercent, 0, 100)
        ?? Range("adaptive.minRttIntervalMs", adaptive.MinRttIntervalMs, ConcurrencyLimitFilterContract.MinMinRttIntervalMs, ConcurrencyLimitFilterContract.MaxMinRttIntervalMs)
        ?? Range("adaptive.minRttJitterPercent", adaptive.MinRttJitterPercent, 0, 100)
        ?? Range("adaptive.minRttRequests", adaptive.MinRttRequests, 1, ConcurrencyLimitFilterContract.MaxMinRttRequests)
        ?? Range("adaptive.samplesPerWindow", adaptive.SamplesPerWindow, ConcurrencyLimitFilterContract.MinSamplesPerWindow, ConcurrencyLimitFilterContract.MaxSamplesPerWindow);

    // An absent optional field is valid (its default applies).
    private static string? Range(string field, int? value, int min, int max) =>
        value is { } v && (v < min || v > max) ? Invariant($"{field}: must be between {min} and {max} (got {v})") : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
