using EnvoyExt.ControlPlane.GatewayApi.Policies;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Resources in, IR and status out. Pure: no I/O and no state between calls, so every provider
/// (standalone folder, Kubernetes) and every test drives it the same way.
/// </summary>
public static class GatewayApiTranslator
{
    public static TranslationResult Translate(ResourceSet resources) => Translate(resources, PolicyKinds.All);

    /// <summary>Translation with an explicit list of policy kinds (tests plug in kinds of their own).</summary>
    internal static TranslationResult Translate(ResourceSet resources, IReadOnlyList<IPolicyKind> policyKinds)
    {
        var index = new ResourceIndex(resources);
        var backendTls = new BackendTlsPolicyResolver(index, resources.BackendTlsPolicies);
        var clusters = new ClusterRegistry(index, backendTls);
        var rules = new RuleTranslator(new BackendResolver(index, clusters));

        // 1. GatewayClasses naming our controller.
        var ourClasses = resources.GatewayClasses.Where(c => c.ControllerName == ControllerIdentity.ControllerName).ToList();
        var parametersResolver = new ClassParametersResolver(resources.Parameters, index);
        var classParameters = ourClasses.ToDictionary(c => c.Metadata.Name, parametersResolver.Resolve, StringComparer.Ordinal);
        var classStatus = ourClasses
            .Select(c => new GatewayClassStatus(c.Metadata.Name,
                [
                    classParameters[c.Metadata.Name].Error is { } parametersError
                        ? Condition.False(Reasons.Accepted, Reasons.InvalidParameters, parametersError, c.Metadata.Generation)
                        : Condition.True(Reasons.Accepted, Reasons.Accepted, "handled by " + ControllerIdentity.ControllerName, c.Metadata.Generation),
                ],
                SupportedFeatures.All))
            .ToList();
        var classNames = ourClasses.Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);

        // 2. Our Gateways and their listeners.
        var ourGateways = resources.Gateways.Where(g => classNames.Contains(g.GatewayClassName)).ToList();
        var gatewayParameters = ourGateways.ToDictionary(g => g.Metadata.Key, g => classParameters[g.GatewayClassName], StringComparer.Ordinal);
        var certificates = new CertificateResolver(index);
        var clientValidation = new ClientValidationResolver(index);
        var listenersByGateway = ourGateways.ToDictionary(g => g.Metadata.Key, g => GatewayValidator.ValidateListeners(g, certificates, clientValidation), StringComparer.Ordinal);

        // 3. Routes: parent-independent translation, then attachment to parents.
        var httpTranslator = new HttpRouteTranslator(rules);
        var grpcTranslator = new GrpcRouteTranslator(rules);
        var streamTranslator = new StreamRouteTranslator(rules);
        var translated = resources.HttpRoutes.Select(httpTranslator.Translate)
            .Concat(resources.GrpcRoutes.Select(grpcTranslator.Translate))
            .Concat(resources.TlsRoutes.Select(streamTranslator.Translate))
            .Concat(resources.TcpRoutes.Select(streamTranslator.Translate))
            .ToList();
        var attacher = new RouteAttacher(
            resources.Gateways.ToDictionary(g => g.Metadata.Key, StringComparer.Ordinal), listenersByGateway, index);
        var routeStatus = translated.Select(attacher.Attach).Where(s => s is not null).Select(s => s!).ToList();

        // 4. Policies, then the IR (which asks the policies for each route's effective config).
        var routesById = translated.ToDictionary(r => r.Resource.Kind + "/" + r.Resource.Metadata.Key, StringComparer.Ordinal);
        var targets = new PolicyTargets(listenersByGateway, routesById);
        var policies = new PolicyEngine(policyKinds, resources.Policies, targets,
            new PolicyContext(index, clusters) { Targets = targets, GatewayParameters = gatewayParameters });
        var builder = new IrBuilder(clusters, policies, gatewayParameters);
        var irGateways = new SortedDictionary<string, IrGateway>(StringComparer.Ordinal);
        var gatewayStatus = new List<GatewayStatus>();
        var attachmentsByGateway = attacher.Attachments.ToLookup(a => a.Listener.Gateway.Metadata.Key, StringComparer.Ordinal);
        foreach (var gateway in ourGateways)
        {
            var listeners = listenersByGateway[gateway.Metadata.Key];
            var conditions = GatewayValidator.GatewayConditions(gateway, listeners);
            if (conditions[0].Status == "True")
            {
                var attachments = attachmentsByGateway[gateway.Metadata.Key].ToList();
                irGateways[gateway.Metadata.Key] = builder.Build(gateway.Metadata.Namespace, gateway.Metadata.Name, listeners, attachments);
            }

            gatewayStatus.Add(new GatewayStatus(gateway.Metadata.Namespace, gateway.Metadata.Name, conditions,
                listeners.Select(l => new ListenerStatus(l.Listener.Name, l.SupportedKinds.ToList(), l.AttachedRoutes, l.Conditions.ToList())).ToList()));
        }

        var status = new StatusReport(classStatus, gatewayStatus,
            routeStatus.OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Namespace + "/" + r.Name, StringComparer.Ordinal).ToList(),
            policies.Statuses().Concat(backendTls.Statuses(irGateways)).ToList(), resources.Problems);
        return new TranslationResult(new IrSnapshot(irGateways), status);
    }
}
