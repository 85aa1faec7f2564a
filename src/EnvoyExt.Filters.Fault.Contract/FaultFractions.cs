namespace EnvoyExt.Filters.Fault.Config;

/// <summary>Fractions in one unit, parts per million, so the filter compares a random draw with one integer.</summary>
public static class FaultFractions
{
    /// <summary>The whole: a share of 100 %.</summary>
    public const uint Whole = 1_000_000;

    /// <summary>Parts per million of one numerator unit of <paramref name="denominator"/>, or 0 when it is unknown.</summary>
    public static uint UnitOf(string? denominator) => denominator switch
    {
        null or "hundred" => 10_000,
        "tenThousand" => 100,
        "million" => 1,
        _ => 0,
    };

    /// <summary>The share a validated percentage stands for; absent: the whole.</summary>
    public static uint PartsPerMillion(FaultPercentage? percentage)
    {
        if (percentage is null)
        {
            return Whole;
        }
        ulong parts = (ulong)Math.Max(0, percentage.Numerator ?? 0) * UnitOf(percentage.Denominator);
        return (uint)Math.Min(parts, Whole);
    }
}
