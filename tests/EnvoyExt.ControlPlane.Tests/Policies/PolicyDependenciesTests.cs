using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Policies;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// A policy's Secret and Service references: checked with ReferenceGrants, served as SDS generic
/// secrets and clusters of the Gateway that uses them, and never shown outside the SDS bytes.
/// </summary>
public sealed class PolicyDependenciesTests
{
    private const string KeyValue = "k3y-material-7f1c2e9d";
    private static readonly PolicyTargetReference RouteTarget = new(GroupNames.GatewayApi, "HTTPRoute", "api", null);

    private static Secret KeySecret(string ns, string name, string value = KeyValue) => new()
    {
        ApiVersion = "v1",
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Origin = new ResourceOrigin("test", 1),
        Data = new SecretData([KeyValuePair.Create("key", new SensitiveText(value))]),
    };

    private static Service AuthService => new()
    {
        ApiVersion = "v1",
        Metadata = new ObjectMeta { Name = "auth", Namespace = "default" },
        Origin = new ResourceOrigin("test", 1),
        Ports = [new ServicePort { Port = 80 }],
    };

    private static TranslationResult Translate(params KubernetesResource[] extra) =>
        GatewayApiTranslator.Translate(new PolicyScenario().Resources(extra), [.. PolicyKinds.All, new KeyPolicyKind()]);

    private static Condition Condition(TranslationResult result, string name) =>
        result.Status.Policies.Single(p => p.Kind == "KeyPolicy" && p.Name == name).Ancestors.SelectMany(a => a.Conditions).Single();

    [Fact]
    public void TheSecretIsServedOverSdsAndTheServiceBecomesACluster()
    {
        var result = Translate(KeySecret("default", "keys"), AuthService,
            KeyPolicy.Create("keys", RouteTarget, new KeyBlock("keys", Service: "auth")));

        Assert.Equal(Reasons.Accepted, Condition(result, "keys").Reason);
        var gateway = result.Ir.Gateways["default/gw"];
        Assert.Equal("test-keys/default/keys", Assert.Single(gateway.GenericSecrets!).Name);
        Assert.Contains(gateway.Clusters, c => c.Name == "default/auth/80");

        var xds = XdsTranslator.Translate(result.Ir)["default/gw"];
        var served = Envoy.Extensions.TransportSockets.Tls.V3.Secret.Parser.ParseFrom(Assert.Single(xds.Secrets).Packed.Value);
        Assert.Equal(KeyValue, served.GenericSecret.Secret.InlineString);
        Assert.Contains(xds.Clusters, c => c.Name == "default/auth/80");

        Assert.DoesNotContain(KeyValue, TranslationJson.Serialize(result), StringComparison.Ordinal);
        Assert.DoesNotContain(KeyValue, XdsJson.ToIndentedString(XdsJson.ToNode(XdsTranslator.Translate(result.Ir))), StringComparison.Ordinal);
        Assert.DoesNotContain(KeyValue, gateway.GenericSecrets![0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingSecretMakesThePolicyInvalidNamingTheField()
    {
        var result = Translate(KeyPolicy.Create("keys", RouteTarget, new KeyBlock("absent")));

        var condition = Condition(result, "keys");
        Assert.Equal((Reasons.Invalid, "spec.defaults.secretRef: Secret default/absent does not exist"), (condition.Reason, condition.Message));
        Assert.Null(result.Ir.Gateways["default/gw"].GenericSecrets);
    }

    [Fact]
    public void ASecretInAnotherNamespaceNeedsAReferenceGrant()
    {
        var policy = KeyPolicy.Create("keys", RouteTarget, new KeyBlock("shared", SecretNamespace: "vault"));
        var denied = Translate(KeySecret("vault", "shared"), policy);
        Assert.Contains("no ReferenceGrant there allows it", Condition(denied, "keys").Message, StringComparison.Ordinal);

        var grant = new ReferenceGrant
        {
            ApiVersion = "gateway.networking.k8s.io/v1beta1",
            Metadata = new ObjectMeta { Name = "keys", Namespace = "vault" },
            Origin = new ResourceOrigin("test", 1),
            From = [new ReferenceGrantFrom(GroupNames.EnvoyExt, "KeyPolicy", "default")],
            To = [new ReferenceGrantTo(GroupNames.Core, "Secret", "shared")],
        };
        var allowed = Translate(KeySecret("vault", "shared"), grant, policy);
        Assert.Equal(Reasons.Accepted, Condition(allowed, "keys").Reason);
        Assert.Equal("test-keys/vault/shared", Assert.Single(allowed.Ir.Gateways["default/gw"].GenericSecrets!).Name);
    }

    [Fact]
    public void ARotatedSecretChangesTheSdsResourceOnly()
    {
        var policy = KeyPolicy.Create("keys", RouteTarget, new KeyBlock("keys"));
        var before = XdsTranslator.Translate(Translate(KeySecret("default", "keys"), policy).Ir)["default/gw"];
        var after = XdsTranslator.Translate(Translate(KeySecret("default", "keys", "rotated-value"), policy).Ir)["default/gw"];

        Assert.NotEqual(before.Secrets.Single().Packed.Value, after.Secrets.Single().Packed.Value);
        Assert.Equal(before.Listeners.Select(l => l.Packed.Value), after.Listeners.Select(l => l.Packed.Value));
        Assert.Equal(before.Routes.Select(r => r.Packed.Value), after.Routes.Select(r => r.Packed.Value));
    }
}
