using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Policies;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// A test-only policy kind whose feature depends on other resources, as an auth policy's does: a
/// Secret (its "key" entry becomes a generic secret served over SDS) and a Service the filter calls
/// out to (a cluster). Written only against the engine's extension points.
/// </summary>
internal sealed record KeyPolicy : PolicyResource<KeyBlock>
{
    public override string Kind => "KeyPolicy";

    public static KeyPolicy Create(string name, PolicyTargetReference target, KeyBlock block, string ns = "default") => new()
    {
        ApiVersion = "test.envoyext.io/v1",
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Origin = new ResourceOrigin("test", 1),
        TargetRefs = [target],
        Defaults = block,
    };
}

/// <param name="SecretName">The Secret holding the key.</param>
/// <param name="SecretNamespace">Its namespace; null for the policy's.</param>
/// <param name="Service">A Service in the policy's namespace the filter calls (port 80).</param>
internal sealed record KeyBlock(string SecretName, string? SecretNamespace = null, string? Service = null);

/// <summary>The imaginary filter's config: which SDS secret to read and which cluster to call.</summary>
internal sealed record KeyFeature(string SdsSecret, string? Cluster, IReadOnlyList<IrGenericSecret> GenericSecrets) : IIrFeatureDependencies
{
    public IReadOnlyList<string> ClusterNames => Cluster is null ? [] : [Cluster];
}

internal sealed class KeyPolicyKind : PolicyKind<KeyPolicy, KeyBlock, KeyFeature>
{
    public static readonly IrFeatureKey<KeyFeature> Key = new("test_key", "testKey");

    public override string Kind => "KeyPolicy";

    public override IrFeatureKey<KeyFeature> Feature => Key;

    public override string BlockField(bool overrides) => overrides ? "spec.overrides" : "spec.defaults";

    public override string? ValidateBlock(KeyBlock block, string field) =>
        block.SecretName.Length == 0 ? $"{field}.secretRef.name: required" : null;

    public override string? ValidateReferences(KeyPolicy policy, KeyBlock block, string field, PolicyContext context)
    {
        var (data, error) = context.Secrets.Resolve(Kind, policy.Metadata.Namespace, block.SecretNamespace, block.SecretName, field + ".secretRef");
        return error ?? (data!.TryGetValue("key", out _) ? null : $"{field}.secretRef: Secret has no key \"key\"");
    }

    public override IPolicyMerge<KeyBlock, KeyFeature> NewMerge() => throw new InvalidOperationException("needs the context");

    public override IPolicyMerge<KeyBlock, KeyFeature> NewMerge(PolicyContext context) => new Merge(context);

    private sealed class Merge(PolicyContext context) : IPolicyMerge<KeyBlock, KeyFeature>
    {
        private (KeyBlock Block, string Namespace)? _last;

        public IReadOnlyList<(string Overridden, string By)> Replacements => [];

        public void Apply(KeyBlock block, string policyKey) => _last = (block, policyKey.Split('/')[0]);

        public (KeyFeature? Feature, string? Error) Finish()
        {
            if (_last is not { } last)
            {
                return (null, null);
            }

            var ns = last.Block.SecretNamespace ?? last.Namespace;
            var (data, error) = context.Secrets.Resolve("KeyPolicy", last.Namespace, last.Block.SecretNamespace, last.Block.SecretName, "spec.defaults.secretRef");
            if (error is not null || !data!.TryGetValue("key", out var key))
            {
                return (null, error ?? "spec.defaults.secretRef: no key");
            }

            string? cluster = null;
            if (last.Block.Service is { } name && context.Index.Service(last.Namespace, name) is { } service)
            {
                cluster = context.Clusters.Register(service, service.Ports[0], http2: false);
            }

            var sdsName = GenericSecretResolver.SdsName("test-keys", ns, last.Block.SecretName);
            return (new KeyFeature(sdsName, cluster, [new IrGenericSecret(sdsName, key)]), null);
        }
    }
}
