namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>One entry of a selector's <c>methods</c> list (the list is ORed).</summary>
internal sealed class MethodCondition(byte[] method, bool invert)
{
    public bool Evaluate(ReadOnlySpan<byte> requestMethod) => requestMethod.SequenceEqual(method) != invert;
}
