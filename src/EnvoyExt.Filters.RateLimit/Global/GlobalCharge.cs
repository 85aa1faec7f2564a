namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>What a global bucket said without asking Redis.</summary>
internal enum GlobalChargeKind
{
    Allowed,
    Limited,
    NeedLease,
}

/// <summary>A local charge on a global bucket: the tokens it reports left (leased here plus what Redis said it still has).</summary>
internal readonly record struct GlobalCharge(GlobalChargeKind Kind, uint Remaining);
