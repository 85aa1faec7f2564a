using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.SetHeader;

/// <summary>
/// The SDK entry point of <c>filter_name: set_header</c> (docs/filters/set-header.md): sets configured
/// request and/or response headers; a route can replace the document with its own.
/// </summary>
public sealed class SetHeaderFilterFactory : HttpFilterFactory
{
    /// <inheritdoc/>
    public override string FilterName => "set_header";

    /// <inheritdoc/>
    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error) =>
        SetHeaderConfigParser.TryParse(config, out error) is { } rules ? new SetHeaderFilterConfig(rules) : null;

    /// <inheritdoc/>
    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error) =>
        SetHeaderConfigParser.TryParse(config, out error);
}

/// <summary>The listener-level rules; shared by every worker (immutable).</summary>
internal sealed class SetHeaderFilterConfig(SetHeaderRules rules) : HttpFilterConfig
{
    public SetHeaderRules Rules { get; } = rules;

    public override HttpFilter CreateFilter() => new SetHeaderFilter(this);
}
