using System.Text;
using EnvoyExt.Filters.Fault.Config;

namespace EnvoyExt.Filters.Fault;

/// <summary>One compiled <c>headers</c> entry: the name and value held as UTF-8 so matching allocates nothing.</summary>
internal sealed class HeaderCondition
{
    private enum Kind
    {
        Exact,
        Prefix,
        Present,
        Absent,
    }

    private readonly byte[] _name;
    private readonly byte[] _value;
    private readonly Kind _kind;

    public HeaderCondition(FaultHeaderMatch match)
    {
        _name = Encoding.UTF8.GetBytes(match.Name!);
        _value = Encoding.UTF8.GetBytes(match.Exact ?? match.Prefix ?? "");
        _kind = match.Exact is not null ? Kind.Exact
            : match.Prefix is not null ? Kind.Prefix
            : match.Present == true ? Kind.Present : Kind.Absent;
    }

    public bool Matches<THeaders>(in THeaders headers)
        where THeaders : IRequestHeaderSource, allows ref struct
    {
        bool found = headers.TryGet(_name, out var value);
        return _kind switch
        {
            Kind.Exact => found && value.SequenceEqual(_value),
            Kind.Prefix => found && value.StartsWith(_value),
            Kind.Present => found,
            _ => !found,
        };
    }
}
