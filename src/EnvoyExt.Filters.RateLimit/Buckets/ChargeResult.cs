namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>The outcome of charging one bucket: whether the request fits, what is left, and when it refills.</summary>
internal readonly record struct ChargeResult(bool Allowed, uint Remaining, long TicksUntilReset);
