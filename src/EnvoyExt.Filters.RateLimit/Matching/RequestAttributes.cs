namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>Request attributes other than headers that selectors may read.</summary>
[Flags]
internal enum RequestAttributes
{
    None = 0,
    Method = 1,
    Path = 2,
    SourceAddress = 4,
}
