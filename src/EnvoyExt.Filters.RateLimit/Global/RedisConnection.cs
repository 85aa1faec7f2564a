using StackExchange.Redis;

namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>
/// The Redis connection of one listener-level rate_limit config, shared by every worker. StackExchange.Redis
/// multiplexes all leases over one socket per endpoint and reconnects on its own with exponential backoff.
/// Connecting happens in the background (never on a worker). A lease waits (within its timeout) for the first
/// connection; once connected, a lost connection fails leases at once so that nothing queues behind a dead
/// Redis. A rotated password (SDS) reconnects with the new one.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private readonly RedisSettingsSnapshot _settings;
    private readonly Lock _swap = new();
    private Task<ConnectionMultiplexer?>? _connecting;
    private string? _password;
    private bool _disposed;

    public RedisConnection(RedisSettingsSnapshot settings) => _settings = settings;

    public TimeSpan Timeout => _settings.Timeout;

    public string KeyPrefix => _settings.KeyPrefix;

    /// <summary>
    /// False when a lease cannot succeed now: never started (no password yet), or connected once and currently
    /// disconnected (StackExchange.Redis is reconnecting in the background).
    /// </summary>
    public bool IsUsable
    {
        get
        {
            var connecting = Volatile.Read(ref _connecting);
            if (connecting is null)
            {
                return false;
            }
            return !connecting.IsCompleted || connecting.Result is { IsConnected: true };
        }
    }

    /// <summary>
    /// Starts connecting with <paramref name="password"/> unless already connected (or connecting) with it.
    /// Cheap when nothing changed: two reads and a string compare.
    /// </summary>
    public void EnsureStarted(string? password)
    {
        if (Volatile.Read(ref _connecting) is not null && string.Equals(Volatile.Read(ref _password), password, StringComparison.Ordinal))
        {
            return;
        }
        Task<ConnectionMultiplexer?>? previous;
        lock (_swap)
        {
            if (_disposed || (_connecting is not null && string.Equals(_password, password, StringComparison.Ordinal)))
            {
                return;
            }
            previous = _connecting;
            Volatile.Write(ref _password, password);
            Volatile.Write(ref _connecting, ConnectAsync(_settings.ToOptions(password)));
        }
        previous?.ContinueWith(static t => t.Result?.Dispose(), TaskScheduler.Default);
    }

    private static async Task<ConnectionMultiplexer?> ConnectAsync(ConfigurationOptions options)
    {
        try
        {
            // AbortOnConnectFail is off: this returns (disconnected) even when Redis is down, and keeps retrying.
            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            return null;
        }
    }

    /// <summary>Runs the lease script; never throws, never waits longer than <paramref name="timeout"/>.</summary>
    public async Task<LeaseReply> LeaseAsync(RedisKey key, long limit, long wanted, long needed, long ttlMs, TimeSpan timeout)
    {
        if (Volatile.Read(ref _connecting) is not { } connecting)
        {
            return LeaseReply.Failed;
        }
        long started = Environment.TickCount64;
        try
        {
            var multiplexer = await connecting.WaitAsync(timeout).ConfigureAwait(false);
            if (multiplexer is not { IsConnected: true })
            {
                return LeaseReply.Failed;
            }
            var left = timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
            if (left <= TimeSpan.Zero)
            {
                return LeaseReply.Failed;
            }
            var db = multiplexer.GetDatabase(_settings.Database);
            var result = await db.ScriptEvaluateAsync(LeaseScript.Text, [key], [limit, wanted, needed, ttlMs])
                .WaitAsync(left).ConfigureAwait(false);
            var values = (RedisResult[]?)result;
            if (values is not { Length: 3 })
            {
                return LeaseReply.Failed;
            }
            return new LeaseReply(true, (long)values[0], (long)values[1]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidCastException or ObjectDisposedException)
        {
            return LeaseReply.Failed;
        }
    }

    public void Dispose()
    {
        Task<ConnectionMultiplexer?>? connecting;
        lock (_swap)
        {
            _disposed = true;
            connecting = _connecting;
            _connecting = null;
        }
        connecting?.ContinueWith(static t => t.Result?.Dispose(), TaskScheduler.Default);
    }
}

/// <summary>The validated connection settings, with defaults applied.</summary>
internal sealed record RedisSettingsSnapshot(string[] Addresses, bool Tls, int Database, string KeyPrefix, TimeSpan Timeout, string? Username)
{
    private const int MinBackoffMs = 100;
    private const int MaxBackoffMs = 5_000;

    public ConfigurationOptions ToOptions(string? password)
    {
        int timeoutMs = Math.Max(1, (int)Timeout.TotalMilliseconds);
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            Ssl = Tls,
            DefaultDatabase = Database,
            User = Username,
            Password = password,
            ConnectTimeout = Math.Clamp(timeoutMs * 4, 1000, 10_000),
            AsyncTimeout = timeoutMs,
            SyncTimeout = timeoutMs,
            ReconnectRetryPolicy = new ExponentialRetry(MinBackoffMs, MaxBackoffMs),
            ClientName = "envoyext",
        };
        foreach (var address in Addresses)
        {
            options.EndPoints.Add(address);
        }
        return options;
    }
}
