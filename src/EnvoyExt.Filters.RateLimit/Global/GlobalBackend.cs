using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>
/// The listener-level <c>global</c> block at run time: the Redis connection, lease size, queue bound and failure
/// mode. Per-route policies' Global rules use the listener's backend (a per-route document has no connection).
/// </summary>
internal sealed class GlobalBackend : IDisposable
{
    public const long DefaultBatch = 100;
    public const int DefaultMaxWaiting = 1024;
    public const int DefaultTimeoutMs = 100;
    public const uint DefaultFailureStatus = 503;
    public const string DefaultKeyPrefix = "envoyext:rl";

    private GlobalBackend(RedisConnection connection, long batch, int maxWaiting, bool failOpen, uint failureStatus,
        SecretView<string>? password)
    {
        Connection = connection;
        Batch = batch;
        MaxWaiting = maxWaiting;
        FailOpen = failOpen;
        FailureStatus = failureStatus;
        Password = password;
        KeyPrefix = Encoding.UTF8.GetBytes(connection.KeyPrefix + ":");
    }

    public RedisConnection Connection { get; }

    public long Batch { get; }

    public int MaxWaiting { get; }

    public bool FailOpen { get; }

    public uint FailureStatus { get; }

    /// <summary>Prefix of every key, with its separator.</summary>
    public byte[] KeyPrefix { get; }

    /// <summary>The password subscription, read on the lease path (a rotation reconnects).</summary>
    public SecretView<string>? Password { get; }

    /// <summary>Builds the backend in config_new and starts connecting in the background.</summary>
    public static GlobalBackend Create(GlobalRateLimitSettings settings, FilterConfigContext context)
    {
        var redis = settings.Redis!;
        var snapshot = new RedisSettingsSnapshot(
            [.. redis.Addresses!], redis.Tls, redis.Database ?? 0, redis.KeyPrefix ?? DefaultKeyPrefix,
            TimeSpan.FromMilliseconds(redis.TimeoutMs ?? DefaultTimeoutMs), redis.Username);
        SecretView<string>? password = null;
        string? initialPassword = null;
        if (redis.PasswordSecret is { } secretName)
        {
            var id = context.SubscribeSecret(secretName, redis.PasswordSecretSource == "Ads" ? SecretSource.Ads : SecretSource.Static);
            password = new SecretView<string>(id, ParsePassword);
            if (context.TryGetSecret(id, out var bytes))
            {
                initialPassword = ParsePassword(bytes);
            }
        }
        var connection = new RedisConnection(snapshot);
        if (password is null || initialPassword is not null)
        {
            connection.EnsureStarted(initialPassword);
        }
        return new GlobalBackend(connection, settings.Batch ?? DefaultBatch, settings.MaxWaiting ?? DefaultMaxWaiting,
            settings.FailOpen ?? true, (uint)(settings.FailureStatusCode ?? (int)DefaultFailureStatus), password);
    }

    /// <summary>On the lease path: keeps the connection on the current password (no-op when it did not change).</summary>
    public void Refresh(in HttpFilterContext ctx)
    {
        if (Password is null)
        {
            return;
        }
        if (Password.Get(in ctx) is { } current)
        {
            Connection.EnsureStarted(current);
        }
    }

    // A trailing newline is a common accident of `kubectl create secret --from-file`.
    private static string? ParsePassword(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n');
        return text.Length == 0 ? null : text;
    }

    public void Dispose() => Connection.Dispose();
}
