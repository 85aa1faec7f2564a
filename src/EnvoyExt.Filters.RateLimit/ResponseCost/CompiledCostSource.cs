using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.ResponseCost;

/// <summary>A rule's <c>costFrom</c>, encoded once: the header name, or the body field's path as UTF-8 member names.</summary>
internal sealed class CompiledCostSource
{
    public CompiledCostSource(ResponseCostSource source)
    {
        if (source.Header is { } header)
        {
            Header = Encoding.UTF8.GetBytes(header.ToLowerInvariant());
        }
        else
        {
            BodyPath = source.BodyField!.Split('.').Select(Encoding.UTF8.GetBytes).ToArray();
            MaxBodyBytes = source.MaxBodyBytes ?? RateLimitFilterContract.DefaultMaxCostBodyBytes;
        }
    }

    /// <summary>Lower-case response header name, or null for a body field.</summary>
    public byte[]? Header { get; }

    /// <summary>Member names from the outermost object in, or null for a header.</summary>
    public byte[][]? BodyPath { get; }

    /// <summary>The body prefix kept and inspected for <see cref="BodyPath"/>.</summary>
    public int MaxBodyBytes { get; }
}
