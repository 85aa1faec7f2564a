namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>What one lease got: tokens granted, tokens Redis still has for the window, and whether it answered at all.</summary>
internal readonly record struct LeaseReply(bool Answered, long Granted, long Left)
{
    public static readonly LeaseReply Failed = new(false, 0, 0);
}
