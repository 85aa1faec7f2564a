namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>
/// The one Lua script a lease runs, atomically on the Redis that owns the key. KEYS[1] is the counter of one
/// bucket for one window (the window number is part of the key). ARGV: limit, wanted, needed, ttl in ms.
/// It never grants past the limit, so Redis alone cannot over-admit: what a replica holds but does not spend
/// is the only inaccuracy (unused leased tokens, at most replicas x batch per window). Near the limit the grant
/// shrinks to an eighth of what is left (at least what the waiting request needs), so a small limit is leased
/// one token at a time and is exact. Returns {granted, left after the grant, key ttl in ms}.
/// </summary>
internal static class LeaseScript
{
    /// <summary>Divisor of what is left in the window: no lease takes more than this share of it.</summary>
    public const int ShareOfRemaining = 8;

    public const string Text = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        local left = tonumber(ARGV[1]) - used
        if left <= 0 then
          return {0, 0, redis.call('PTTL', KEYS[1])}
        end
        local grant = math.min(tonumber(ARGV[2]), math.ceil(left / 8))
        grant = math.min(left, math.max(grant, tonumber(ARGV[3])))
        redis.call('INCRBY', KEYS[1], grant)
        if used == 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
        end
        return {grant, left - grant, redis.call('PTTL', KEYS[1])}
        """;
}
