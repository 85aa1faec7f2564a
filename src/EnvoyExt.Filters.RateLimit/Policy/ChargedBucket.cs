using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Global;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>
/// The bucket a decision charged for one rule: exactly one of a local bucket, a Distinct entry as it was when
/// charged (its version, so a later charge never lands on the value the entry was given to since), or a global
/// bucket. What a response's cost is charged to afterwards.
/// </summary>
internal readonly struct ChargedBucket
{
    public readonly TokenBucket? Local;
    public readonly DistinctBucketTable.Found Distinct;
    public readonly GlobalBucket? Global;

    private ChargedBucket(TokenBucket? local, DistinctBucketTable.Found distinct, GlobalBucket? global)
    {
        Local = local;
        Distinct = distinct;
        Global = global;
    }

    public static ChargedBucket Of(TokenBucket bucket) => new(bucket, default, null);

    public static ChargedBucket Of(DistinctBucketTable.Found entry) => new(null, entry, null);

    public static ChargedBucket Of(GlobalBucket bucket) => new(null, default, bucket);
}
