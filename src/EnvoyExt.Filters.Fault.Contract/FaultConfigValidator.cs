using System.Globalization;

namespace EnvoyExt.Filters.Fault.Config;

/// <summary>Range and presence checks; returns the first error as "json.path: reason", or null when valid.</summary>
internal static class FaultConfigValidator
{
    public static string? Validate(FaultConfig config)
    {
        if (config.Name is { } name && CheckToken(name, FaultFilterContract.MaxNameLength) is { } nameError)
        {
            return "name: " + nameError;
        }
        if (config.Abort is { } abort && ValidateAbort(abort) is { } abortError)
        {
            return abortError;
        }
        if (config.Delay is { } delay && ValidateDelay(delay) is { } delayError)
        {
            return delayError;
        }
        if (config.Abort is null && config.Delay is null && config.HeaderControl != true)
        {
            return "config: needs abort, delay or headerControl: true (otherwise the filter does nothing)";
        }
        if (config.MaxActiveFaults is { } max && (max < 1 || max > FaultFilterContract.MaxActiveFaultsLimit))
        {
            return Invariant($"maxActiveFaults: must be between 1 and {FaultFilterContract.MaxActiveFaultsLimit} (got {max})");
        }
        return config.Headers is { } headers ? ValidateHeaders(headers) : null;
    }

    private static string? ValidateAbort(FaultAbort abort)
    {
        if (abort.HttpStatus is null && abort.GrpcStatus is null)
        {
            return "abort: needs httpStatus, grpcStatus or both";
        }
        if (abort.HttpStatus is { } status && (status < 200 || status > 599))
        {
            return Invariant($"abort.httpStatus: must be between 200 and 599 (got {status})");
        }
        if (abort.GrpcStatus is { } grpc && (grpc < 0 || grpc > 16))
        {
            return Invariant($"abort.grpcStatus: must be between 0 and 16 (got {grpc})");
        }
        return ValidatePercentage(abort.Percentage, "abort.percentage");
    }

    private static string? ValidateDelay(FaultDelay delay)
    {
        if (delay.FixedDelayMs is not { } ms)
        {
            return "delay.fixedDelayMs: required";
        }
        if (ms < 1 || ms > FaultFilterContract.MaxDelayMs)
        {
            return Invariant($"delay.fixedDelayMs: must be between 1 and {FaultFilterContract.MaxDelayMs} (got {ms})");
        }
        return ValidatePercentage(delay.Percentage, "delay.percentage");
    }

    private static string? ValidatePercentage(FaultPercentage? percentage, string path)
    {
        if (percentage is null)
        {
            return null;
        }
        if (FaultFractions.UnitOf(percentage.Denominator) == 0)
        {
            return $"{path}.denominator: must be hundred, tenThousand or million (got '{percentage.Denominator}')";
        }
        if (percentage.Numerator is not { } numerator)
        {
            return $"{path}.numerator: required";
        }
        return numerator < 0 ? Invariant($"{path}.numerator: must not be negative (got {numerator})") : null;
    }

    private static string? ValidateHeaders(List<FaultHeaderMatch> headers)
    {
        if (headers.Count > FaultFilterContract.MaxHeaderMatches)
        {
            return Invariant($"headers: at most {FaultFilterContract.MaxHeaderMatches} entries (got {headers.Count})");
        }
        for (int i = 0; i < headers.Count; i++)
        {
            string path = Invariant($"headers[{i}]");
            var match = headers[i];
            if (match is null)
            {
                return path + ": must be an object";
            }
            if (match.Name is not { } name)
            {
                return path + ".name: required";
            }
            if (CheckToken(name, FaultFilterContract.MaxHeaderTextLength) is { } nameError)
            {
                return path + ".name: " + nameError;
            }
            if (!name.Equals(name.ToLowerInvariant(), StringComparison.Ordinal))
            {
                return path + ".name: must be lower case";
            }
            int kinds = (match.Exact is null ? 0 : 1) + (match.Prefix is null ? 0 : 1) + (match.Present is null ? 0 : 1);
            if (kinds != 1)
            {
                return path + ": needs exactly one of exact, prefix or present";
            }
            if ((match.Exact ?? match.Prefix)?.Length > FaultFilterContract.MaxHeaderTextLength)
            {
                return Invariant($"{path}.{(match.Exact is null ? "prefix" : "exact")}: at most {FaultFilterContract.MaxHeaderTextLength} characters");
            }
        }
        return null;
    }

    private static string? CheckToken(string text, int maxLength)
    {
        if (text.Length == 0 || text.Length > maxLength)
        {
            return Invariant($"must be 1 to {maxLength} characters (got {text.Length})");
        }
        foreach (char c in text)
        {
            if (c < 0x21 || c > 0x7e)
            {
                return "must be printable ASCII without spaces";
            }
        }
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
