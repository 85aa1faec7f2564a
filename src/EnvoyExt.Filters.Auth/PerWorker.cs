namespace EnvoyExt.Filters.Auth;

/// <summary>How many workers get their own parsed key set; a higher worker index parses on each read (correct, slower).</summary>
internal static class PerWorker
{
    public const int MaxWorkers = 256;
}
