using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// BackendTLSPolicy: which policy applies to each Service port, what it makes of the cluster, and
/// the policies' status. A policy naming a port (sectionName) beats one naming the whole Service;
/// between policies naming the same target the oldest wins (then namespace/name), the others are
/// Conflicted. A policy without a usable CA leaves its backends with no endpoints (fail closed: 503)
/// rather than reaching them over unchecked TLS or plain text.
/// </summary>
internal sealed class BackendTlsPolicyResolver
{
    /// <summary>wellKnownCACertificates: System, as the Debian/Ubuntu based Envoy images lay it out.</summary>
    public const string SystemTrustBundle = "/etc/ssl/certs/ca-certificates.crt";

    private readonly Dictionary<string, Evaluation> _byKey = new(StringComparer.Ordinal);

    // "<ns>/<service>/<port name>" and "<ns>/<service>/" (whole Service) -> the winning policy.
    private readonly Dictionary<string, Evaluation> _winners = new(StringComparer.Ordinal);

    public BackendTlsPolicyResolver(ResourceIndex index, IReadOnlyList<BackendTlsPolicy> policies)
    {
        var ordered = policies
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.Metadata.Key, StringComparer.Ordinal);
        var clusterCas = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var policy in ordered)
        {
            var evaluation = Evaluate(index, policy, clusterCas);
            _byKey[policy.Metadata.Key] = evaluation;
            for (var i = 0; i < policy.TargetRefs.Count; i++)
            {
                var target = policy.TargetRefs[i];
                if (target.Group != GroupNames.Core || target.Kind != "Service")
                {
                    evaluation.Reject(Reasons.Invalid, $"spec.targetRefs[{i}]: kind {target.Kind} in group \"{target.Group}\" is not supported; only core Services are");
                    continue;
                }

                var key = TargetKey(policy.Metadata.Namespace, target.Name, target.SectionName ?? "");
                if (_winners.TryGetValue(key, out var winner))
                {
                    evaluation.Reject(Reasons.Conflicted,
                        $"spec.targetRefs[{i}]: BackendTLSPolicy {winner.Policy.Metadata.Key} is older and targets the same {(target.SectionName is null ? "Service" : "Service port")}");
                    continue;
                }

                _winners[key] = evaluation;
            }
        }
    }

    /// <summary>The policy that applies to a Service port: the one naming the port, else the one naming the Service.</summary>
    public (string Policy, IrUpstreamTls? Tls)? For(Service service, ServicePort port)
    {
        var ns = service.Metadata.Namespace;
        var name = service.Metadata.Name;
        if ((port.Name is { } portName && _winners.TryGetValue(TargetKey(ns, name, portName), out var evaluation))
            || _winners.TryGetValue(TargetKey(ns, name, ""), out evaluation))
        {
            return (evaluation.Policy.Metadata.Key, evaluation.Tls);
        }

        return null;
    }

    /// <summary>
    /// GEP-713 status: one ancestor per Gateway of ours whose routes reach a Service the policy
    /// targets (at most 16). A policy no Gateway of ours uses gets no entry.
    /// </summary>
    public List<PolicyStatus> Statuses(IReadOnlyDictionary<string, IrGateway> gateways)
    {
        var result = new List<PolicyStatus>();
        foreach (var evaluation in _byKey.Values.OrderBy(e => e.Policy.Metadata.Key, StringComparer.Ordinal))
        {
            var targets = evaluation.Policy.TargetRefs
                .Where(t => t.Group == GroupNames.Core && t.Kind == "Service")
                .Select(t => evaluation.Policy.Metadata.Namespace + "/" + t.Name + "/")
                .ToList();
            var ancestors = gateways.Values
                .Where(g => g.Clusters.Any(c => targets.Any(t => c.Name.StartsWith(t, StringComparison.Ordinal))))
                .Take(16)
                .Select(g => new PolicyAncestorStatus(
                    new ParentRefStatus(GroupNames.GatewayApi, "Gateway", g.Namespace, g.Name, null, null),
                    ControllerIdentity.ControllerName,
                    evaluation.Conditions()))
                .ToList();
            if (ancestors.Count > 0)
            {
                result.Add(new PolicyStatus("BackendTLSPolicy", evaluation.Policy.Metadata.Namespace, evaluation.Policy.Metadata.Name, ancestors));
            }
        }

        return result;
    }

    private static string TargetKey(string ns, string service, string section) => $"{ns}/{service}/{section}";

    private static Evaluation Evaluate(ResourceIndex index, BackendTlsPolicy policy, Dictionary<string, string?> checkedBundles)
    {
        var evaluation = new Evaluation(policy);
        var ns = policy.Metadata.Namespace;
        if (EnvoyStrings.PreciseHostname(policy.Hostname) is { } hostError)
        {
            evaluation.Reject(Reasons.Invalid, $"spec.validation.hostname: {hostError}");
        }

        var names = new List<IrSubjectAltName>();
        for (var i = 0; i < policy.SubjectAltNames.Count; i++)
        {
            var san = policy.SubjectAltNames[i];
            var error = san.Type == "Hostname" ? EnvoyStrings.PreciseHostname(san.Value) : UriError(san.Value);
            if (error is not null)
            {
                evaluation.Reject(Reasons.Invalid, $"spec.validation.subjectAltNames[{i}]: {error}");
                continue;
            }

            names.Add(new IrSubjectAltName(san.Type == "Hostname" ? SubjectAltNameKind.Dns : SubjectAltNameKind.Uri, san.Value));
        }

        if (policy.SubjectAltNames.Count == 0)
        {
            names.Add(new IrSubjectAltName(SubjectAltNameKind.Dns, policy.Hostname));
        }

        var name = $"{policy.Metadata.Key}/backend-ca";
        IrBackendValidation? validation = null;
        if (policy.WellKnownCaCertificates is { } wellKnown)
        {
            if (wellKnown == "System")
            {
                validation = new IrBackendValidation(name, null, SystemTrustBundle, names);
            }
            else
            {
                evaluation.Reject(Reasons.Invalid, $"spec.validation.wellKnownCACertificates: only \"System\" is supported (got \"{wellKnown}\")");
            }
        }
        else
        {
            var bundle = new System.Text.StringBuilder();
            for (var i = 0; i < policy.CaCertificateRefs.Count; i++)
            {
                var reference = policy.CaCertificateRefs[i];
                var at = $"spec.validation.caCertificateRefs[{i}]";
                if (reference.Group != GroupNames.Core || reference.Kind is not ("ConfigMap" or "Secret"))
                {
                    evaluation.Unresolved(Reasons.InvalidKind, $"{at}: kind {reference.Kind} in group \"{reference.Group}\" is not supported; only core ConfigMaps and Secrets are");
                    continue;
                }

                var key = $"{reference.Kind} {ns}/{reference.Name}";
                var exists = reference.Kind == "ConfigMap" ? index.ConfigMap(ns, reference.Name) is not null : index.Secret(ns, reference.Name) is not null;
                var pem = reference.Kind == "ConfigMap" ? index.ConfigMap(ns, reference.Name)?.CaCertificate : index.Secret(ns, reference.Name)?.CaCertificate;
                if (!exists)
                {
                    evaluation.Unresolved(Reasons.InvalidCACertificateRef, $"{at}: {key} does not exist");
                    continue;
                }

                if (!checkedBundles.TryGetValue(key, out var problem))
                {
                    checkedBundles[key] = problem = ClientValidationResolver.Check(pem);
                }

                if (problem is not null)
                {
                    evaluation.Unresolved(Reasons.InvalidCACertificateRef, $"{at}: {key} {problem}");
                    continue;
                }

                bundle.Append(pem!.TrimEnd()).Append('\n');
            }

            if (bundle.Length > ClientValidationResolver.MaxBundleBytes)
            {
                evaluation.Unresolved(Reasons.InvalidCACertificateRef, $"spec.validation.caCertificateRefs: the CA bundle is larger than {ClientValidationResolver.MaxBundleBytes} bytes");
            }
            else if (bundle.Length > 0)
            {
                validation = new IrBackendValidation(name, bundle.ToString(), null, names);
            }
            else
            {
                evaluation.Reject(Reasons.NoValidCACertificate, "spec.validation.caCertificateRefs: no reference holds a usable CA certificate");
            }
        }

        if (evaluation.Usable && validation is not null)
        {
            evaluation.Tls = new IrUpstreamTls(policy.Hostname, validation);
        }

        return evaluation;
    }

    private static string? UriError(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme.Length > 0 && uri.AsSpan().IndexOfAny('\r', '\n', '\0') < 0
            ? null
            : $"\"{uri}\" is not an absolute URI";

    /// <summary>One policy's outcome. Problems that keep it from serving set <see cref="Usable"/> false.</summary>
    private sealed class Evaluation(BackendTlsPolicy policy)
    {
        private readonly List<string> _acceptedMessages = [];
        private readonly List<string> _refMessages = [];
        private string? _acceptedReason;
        private string? _refsReason;

        public BackendTlsPolicy Policy { get; } = policy;

        public IrUpstreamTls? Tls { get; set; }

        /// <summary>Conflicts lose a target but leave the policy serving the targets it won.</summary>
        public bool Usable => _acceptedReason is null or Reasons.Conflicted;

        public void Reject(string reason, string message)
        {
            // A reason that stops the policy outranks Conflicted, which only loses one target.
            if (_acceptedReason is null || (_acceptedReason == Reasons.Conflicted && reason != Reasons.Conflicted))
            {
                _acceptedReason = reason;
            }

            _acceptedMessages.Add(message);
        }

        public void Unresolved(string reason, string message)
        {
            _refsReason ??= reason;
            _refMessages.Add(message);
        }

        public List<Condition> Conditions()
        {
            var generation = Policy.Metadata.Generation;
            return
            [
                _acceptedReason is null
                    ? Condition.True(Reasons.Accepted, Reasons.Accepted, "policy accepted", generation)
                    : Condition.False(Reasons.Accepted, _acceptedReason, string.Join("; ", _acceptedMessages), generation),
                _refsReason is null
                    ? Condition.True(Reasons.ResolvedRefs, Reasons.ResolvedRefs, "all references resolved", generation)
                    : Condition.False(Reasons.ResolvedRefs, _refsReason, string.Join("; ", _refMessages), generation),
            ];
        }
    }
}
