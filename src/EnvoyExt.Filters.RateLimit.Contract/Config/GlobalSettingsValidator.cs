namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>Checks the <c>global</c> block (Redis connection, lease size, failure handling).</summary>
internal static class GlobalSettingsValidator
{
    public const int MaxAddresses = 16;
    public const int MaxAddressLength = 255;
    public const long MaxBatch = 1_000_000;
    public const int MaxTimeoutMs = RateLimitFilterContract.MaxRedisTimeoutMs;
    public const int MaxWaitingLimit = 100_000;
    public const int MaxKeyPrefixLength = 128;

    public static string? Validate(GlobalRateLimitSettings global, RateLimitConfigLevel level)
    {
        if (level == RateLimitConfigLevel.Route)
        {
            return "global: only allowed at listener level (per-route Global rules use the listener's connection)";
        }
        if (global.Batch is long batch && (batch < 1 || batch > MaxBatch))
        {
            return $"global.batch: must be between 1 and {MaxBatch} (got {batch})";
        }
        if (global.FailureStatusCode is int status && (status < 400 || status > 599))
        {
            return $"global.failureStatusCode: must be between 400 and 599 (got {status})";
        }
        if (global.MaxWaiting is int waiting && (waiting < 1 || waiting > MaxWaitingLimit))
        {
            return $"global.maxWaiting: must be between 1 and {MaxWaitingLimit} (got {waiting})";
        }
        return global.Redis is { } redis ? ValidateRedis(redis) : "global.redis: required";
    }

    private static string? ValidateRedis(RedisSettings redis)
    {
        var addresses = redis.Addresses ?? [];
        if (addresses.Count is 0 or > MaxAddresses)
        {
            return $"global.redis.addresses: between 1 and {MaxAddresses} host:port entries (got {addresses.Count})";
        }
        for (int i = 0; i < addresses.Count; i++)
        {
            if (CheckAddress(addresses[i]) is { } reason)
            {
                return $"global.redis.addresses[{i}]: {reason}";
            }
        }
        if (redis.Database is int db && (db < 0 || db > 15))
        {
            return $"global.redis.database: must be between 0 and 15 (got {db})";
        }
        if (redis.TimeoutMs is int timeout && (timeout < 1 || timeout > MaxTimeoutMs))
        {
            return $"global.redis.timeoutMs: must be between 1 and {MaxTimeoutMs} (got {timeout})";
        }
        if (redis.KeyPrefix is { } prefix && (prefix.Length is 0 or > MaxKeyPrefixLength || HasControl(prefix)))
        {
            return $"global.redis.keyPrefix: 1..{MaxKeyPrefixLength} characters without control characters";
        }
        if (redis.Username is { } user && (user.Length is 0 or > MaxKeyPrefixLength || HasControl(user) || user.Contains(' ')))
        {
            return $"global.redis.username: 1..{MaxKeyPrefixLength} characters without spaces or control characters";
        }
        if (redis.PasswordSecret is { } secret && (secret.Length is 0 or > 253 || HasControl(secret)))
        {
            return "global.redis.passwordSecret: a secret name of 1..253 characters";
        }
        if (redis.PasswordSecretSource is { } source && (source is not ("Static" or "Ads") || redis.PasswordSecret is null))
        {
            return redis.PasswordSecret is null
                ? "global.redis.passwordSecretSource: only with passwordSecret"
                : $"global.redis.passwordSecretSource: must be Static or Ads (got \"{source}\")";
        }
        return null;
    }

    private static string? CheckAddress(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > MaxAddressLength || HasControl(address))
        {
            return "must be host:port";
        }
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return $"must be host:port with a port 1..65535 (got \"{address}\")";
        }
        return address.AsSpan(0, colon).ContainsAny(' ', '/', ',') ? $"not a host name (got \"{address}\")" : null;
    }

    private static bool HasControl(string value) => value.AsSpan().ContainsAnyInRange('\0', '\x1f');
}
