using EnvoyExt.ControlPlane.GatewayApi.Policies;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// A test-only policy kind, written as a contributor would add one: a model, a merge function and a
/// kind; no change to the engine. Its blocks are header name -> value maps merged by name, and a
/// route may carry at most <see cref="MaxHeaders"/> headers, a limit the merge can exceed.
/// </summary>
internal sealed record HeaderPolicy : PolicyResource<HeaderBlock>
{
    public override string Kind => "HeaderPolicy";

    public static HeaderPolicy Create(string name, PolicyTargetReference target, HeaderBlock? defaults = null, HeaderBlock? overrides = null, DateTimeOffset? created = null) => new()
    {
        ApiVersion = "test.envoyext.io/v1",
        Metadata = new ObjectMeta { Name = name, Namespace = "default", CreationTimestamp = created },
        Origin = new ResourceOrigin("test", 1),
        TargetRefs = [target],
        Defaults = defaults,
        Overrides = overrides,
    };
}

internal sealed record HeaderBlock(IReadOnlyDictionary<string, string> Headers)
{
    public static HeaderBlock Of(params (string Name, string Value)[] headers) =>
        new(headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal));
}

/// <summary>What the (imaginary) header filter receives for a route: header -> value, sorted by name.</summary>
internal sealed record HeaderFeature(SortedDictionary<string, string> Headers);

internal sealed class HeaderPolicyKind : PolicyKind<HeaderPolicy, HeaderBlock, HeaderFeature>
{
    public const int MaxHeaders = 3;

    public static readonly IrFeatureKey<HeaderFeature> Key = new("test_header", "testHeader");

    public override string Kind => "HeaderPolicy";

    public override IrFeatureKey<HeaderFeature> Feature => Key;

    public override string BlockField(bool overrides) => overrides ? "spec.overrides.headers" : "spec.defaults.headers";

    public override string? ValidateBlock(HeaderBlock block, string field) =>
        block.Headers.Count > MaxHeaders ? $"{field}: at most {MaxHeaders} headers (got {block.Headers.Count})"
        : block.Headers.Keys.FirstOrDefault(string.IsNullOrEmpty) is not null ? $"{field}: header names must not be empty"
        : null;

    public override IPolicyMerge<HeaderBlock, HeaderFeature> NewMerge() => new Merge();

    private sealed class Merge : IPolicyMerge<HeaderBlock, HeaderFeature>
    {
        private readonly SortedDictionary<string, string> _headers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _setBy = new(StringComparer.Ordinal);
        private readonly List<(string Overridden, string By)> _replacements = [];

        public IReadOnlyList<(string Overridden, string By)> Replacements => _replacements;

        public void Apply(HeaderBlock block, string policyKey)
        {
            foreach (var (name, value) in block.Headers)
            {
                if (_setBy.TryGetValue(name, out var owner) && owner != policyKey && !_replacements.Contains((owner, policyKey)))
                {
                    _replacements.Add((owner, policyKey));
                }

                _headers[name] = value;
                _setBy[name] = policyKey;
            }
        }

        public (HeaderFeature? Feature, string? Error) Finish() =>
            _headers.Count == 0 ? (null, null)
            : _headers.Count > MaxHeaders ? (null, $"merged headers exceed {MaxHeaders} (got {_headers.Count})")
            : (new HeaderFeature(_headers), null);
    }
}
