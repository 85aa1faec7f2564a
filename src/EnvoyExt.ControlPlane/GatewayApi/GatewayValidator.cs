using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Validates one Gateway's listeners: protocol support, allowed route kinds, hostnames and
/// conflicts between listeners sharing a port. HTTP, HTTPS (TLS terminated with certificates from
/// Secrets), TLS in Passthrough or Terminate mode and TCP are implemented; other protocols are
/// reported UnsupportedProtocol.
/// </summary>
internal static class GatewayValidator
{
    private static readonly SupportedKind[] HttpKinds =
    [
        new(GroupNames.GatewayApi, "HTTPRoute"),
        new(GroupNames.GatewayApi, "GRPCRoute"),
    ];

    private static readonly SupportedKind[] TlsKinds = [new(GroupNames.GatewayApi, "TLSRoute")];

    private static readonly SupportedKind[] TcpKinds = [new(GroupNames.GatewayApi, "TCPRoute")];

    private static SupportedKind[] KindsFor(string protocol) => protocol switch
    {
        "TLS" => TlsKinds,
        "TCP" => TcpKinds,
        _ => HttpKinds,
    };

    public static List<ListenerState> ValidateListeners(Gateway gateway, CertificateResolver certificates, ClientValidationResolver clientValidation)
    {
        var generation = gateway.Metadata.Generation;
        var states = gateway.Listeners.Select((l, i) => new ListenerState(gateway, l, i)).ToList();

        foreach (var state in states)
        {
            var listener = state.Listener;
            string? acceptedFailure = null;
            string acceptedReason = Reasons.Accepted;
            if (listener.Protocol is not ("HTTP" or "HTTPS" or "TLS" or "TCP"))
            {
                acceptedReason = Reasons.UnsupportedProtocol;
                acceptedFailure = $"protocol {listener.Protocol} is not supported; only HTTP, HTTPS, TLS and TCP listeners are";
            }
            else if (listener.Protocol == "TLS" && listener.Tls?.Mode is not ("Passthrough" or "Terminate"))
            {
                acceptedReason = Reasons.UnsupportedValue;
                acceptedFailure = listener.Tls is null
                    ? "tls: a TLS listener needs a tls block with mode Passthrough or Terminate"
                    : $"tls.mode: must be Passthrough or Terminate (got \"{listener.Tls.Mode}\")";
            }
            else if (listener.Protocol == "HTTPS" && listener.Tls is null)
            {
                acceptedReason = Reasons.UnsupportedValue;
                acceptedFailure = "tls: an HTTPS listener needs a tls block with certificateRefs";
            }
            else if (listener.Protocol == "HTTPS" && listener.Tls!.Mode != "Terminate")
            {
                acceptedReason = Reasons.UnsupportedValue;
                acceptedFailure = $"tls.mode: an HTTPS listener terminates TLS; \"{listener.Tls.Mode}\" is only valid on TLS listeners";
            }
            else if (states.Any(o => o.Index < state.Index && o.Listener.Name == listener.Name))
            {
                // The CRD forbids this; standalone files have no API server to enforce it.
                acceptedReason = Reasons.UnsupportedValue;
                acceptedFailure = $"another listener is already named {listener.Name}";
            }
            else if (listener.Hostname is { } host && !Hostnames.IsValid(host))
            {
                acceptedReason = Reasons.UnsupportedValue;
                acceptedFailure = $"hostname \"{host}\" is not a valid DNS name (IP addresses are not allowed)";
            }

            // Route kinds: keep the ones we serve, report the rest.
            var invalidKinds = new List<string>();
            var servedKinds = KindsFor(listener.Protocol);
            if (listener.AllowedRoutes.Kinds.Count == 0)
            {
                state.SupportedKinds.AddRange(servedKinds);
            }
            else
            {
                foreach (var kind in listener.AllowedRoutes.Kinds)
                {
                    var supported = servedKinds.FirstOrDefault(k => k.Group == kind.Group && k.Kind == kind.Kind);
                    if (supported is null)
                    {
                        invalidKinds.Add($"{kind.Group}/{kind.Kind}");
                    }
                    else if (!state.SupportedKinds.Contains(supported))
                    {
                        state.SupportedKinds.Add(supported);
                    }
                }
            }

            // A terminating listener whose certificates do not resolve is accepted but not programmed;
            // the Gateway's other listeners keep serving.
            var certificateProblem = acceptedFailure is null && Terminates(listener)
                ? ResolveCertificates(state, certificates) ?? ResolveClientValidation(state, clientValidation)
                : null;

            if (acceptedFailure is not null)
            {
                state.Ready = false;
                state.SupportedKinds.Clear();
                state.Conditions.Add(Condition.False(Reasons.Accepted, acceptedReason, acceptedFailure, generation));
                state.Conditions.Add(Condition.False(Reasons.Programmed, Reasons.Invalid, "the listener is not accepted", generation));
            }
            else if (certificateProblem is not null)
            {
                state.Ready = false;
                state.Conditions.Add(Condition.True(Reasons.Accepted, Reasons.Accepted, "listener accepted", generation));
                state.Conditions.Add(Condition.False(Reasons.Programmed, Reasons.Invalid, "the listener's certificates do not resolve", generation));
            }
            else
            {
                state.Conditions.Add(Condition.True(Reasons.Accepted, Reasons.Accepted, "listener accepted", generation));
                state.Conditions.Add(Condition.True(Reasons.Programmed, Reasons.Programmed, "listener programmed", generation));
            }

            if (certificateProblem is { } failed)
            {
                var message = invalidKinds.Count == 0 ? failed.Message! : failed.Message + "; unsupported route kinds: " + string.Join(", ", invalidKinds);
                state.Conditions.Add(Condition.False(Reasons.ResolvedRefs, failed.Reason!, message, generation));
            }
            else
            {
                state.Conditions.Add(invalidKinds.Count == 0
                    ? Condition.True(Reasons.ResolvedRefs, Reasons.ResolvedRefs, "all references resolved", generation)
                    : Condition.False(Reasons.ResolvedRefs, Reasons.InvalidRouteKinds, "unsupported route kinds: " + string.Join(", ", invalidKinds), generation));
            }
        }

        MarkUnavailablePorts(states, generation);
        MarkConflicts(states, generation);
        return states;
    }

    /// <summary>
    /// A privileged port is bound 10000 higher (<see cref="EnvoyPorts"/>); when a listener already
    /// uses that higher port itself, the privileged one cannot be served: PortUnavailable.
    /// </summary>
    private static void MarkUnavailablePorts(List<ListenerState> states, long generation)
    {
        var direct = states.Select(s => s.Listener.Port).Where(p => p >= EnvoyPorts.PrivilegedBelow).ToHashSet();
        foreach (var state in states.Where(s => s.Ready && s.Listener.Port < EnvoyPorts.PrivilegedBelow && direct.Contains(EnvoyPorts.For(s.Listener.Port))))
        {
            var envoyPort = EnvoyPorts.For(state.Listener.Port);
            state.Ready = false;
            state.SupportedKinds.Clear();
            state.Conditions.RemoveAll(c => c.Type is Reasons.Accepted or Reasons.Programmed);
            state.Conditions.Insert(0, Condition.False(Reasons.Accepted, Reasons.PortUnavailable,
                $"port {state.Listener.Port} is served on Envoy port {envoyPort}, which another listener of the Gateway uses", generation));
            state.Conditions.Insert(1, Condition.False(Reasons.Programmed, Reasons.Invalid, "the listener is not accepted", generation));
        }
    }

    /// <summary>HTTPS listeners and TLS listeners in Terminate mode end TLS at Envoy with their certificateRefs.</summary>
    public static bool Terminates(Listener listener) =>
        listener.Protocol == "HTTPS" || (listener.Protocol == "TLS" && listener.Tls?.Mode == "Terminate");

    /// <summary>Sets the listener's certificates, or returns why they cannot be used.</summary>
    private static CertificateResolution? ResolveCertificates(ListenerState state, CertificateResolver certificates)
    {
        var resolution = certificates.Resolve(state.Gateway, state.Listener.Tls!);
        if (!resolution.Succeeded)
        {
            return resolution;
        }

        state.Certificates = resolution.Secrets;
        return null;
    }

    /// <summary>Sets the port's client-certificate validation, or returns why its CA references cannot be used.</summary>
    private static CertificateResolution? ResolveClientValidation(ListenerState state, ClientValidationResolver clientValidation)
    {
        var resolution = clientValidation.Resolve(state.Gateway, state.Listener.Port);
        if (!resolution.Succeeded)
        {
            return CertificateResolution.Failed(resolution.Reason!, resolution.Message!);
        }

        state.ClientValidation = resolution.Bundle;
        return null;
    }

    /// <summary>
    /// Listeners on one port must agree on the protocol and must not repeat a hostname; every
    /// listener involved in a conflict is marked and left out, so no traffic depends on order.
    /// </summary>
    private static void MarkConflicts(List<ListenerState> states, long generation)
    {
        foreach (var byPort in states.GroupBy(s => s.Listener.Port))
        {
            var group = byPort.ToList();
            var protocolConflict = group.Select(s => s.Listener.Protocol).Distinct().Count() > 1;
            foreach (var state in group)
            {
                string? reason = null;
                string? message = null;
                if (protocolConflict)
                {
                    reason = Reasons.ProtocolConflict;
                    message = $"port {state.Listener.Port} is used with different protocols";
                }
                else if (state.Listener.Protocol == "TCP" && group.Count > 1)
                {
                    // A TCP connection carries no hostname, so nothing could tell these listeners apart.
                    reason = Reasons.HostnameConflict;
                    message = $"port {state.Listener.Port} has several TCP listeners; TCP cannot tell them apart";
                }
                else if (group.Any(o => o != state && o.Listener.Hostname == state.Listener.Hostname))
                {
                    reason = Reasons.HostnameConflict;
                    message = $"another listener on port {state.Listener.Port} has hostname \"{state.Listener.Hostname ?? "*"}\"";
                }

                if (reason is null)
                {
                    state.Conditions.Add(Condition.False(Reasons.Conflicted, Reasons.NoConflicts, "no conflicts", generation));
                    continue;
                }

                state.Ready = false;
                state.Conditions.RemoveAll(c => c.Type == Reasons.Programmed);
                state.Conditions.Add(Condition.False(Reasons.Programmed, Reasons.Invalid, "the listener conflicts with another listener", generation));
                state.Conditions.Add(Condition.True(Reasons.Conflicted, reason, message!, generation));
            }
        }
    }

    public static IReadOnlyList<Condition> GatewayConditions(Gateway gateway, IReadOnlyList<ListenerState> listeners)
    {
        var generation = gateway.Metadata.Generation;
        var ready = listeners.Count(l => l.Ready);
        var invalid = listeners.Where(l => !l.Ready).Select(l => l.Listener.Name).ToList();
        Condition accepted;
        if (listeners.Count == 0)
        {
            accepted = Condition.False(Reasons.Accepted, Reasons.ListenersNotValid, "the Gateway has no listeners", generation);
        }
        else if (ready == 0)
        {
            accepted = Condition.False(Reasons.Accepted, Reasons.ListenersNotValid, "no listener is valid: " + string.Join(", ", invalid), generation);
        }
        else if (invalid.Count > 0)
        {
            accepted = Condition.True(Reasons.Accepted, Reasons.ListenersNotValid, "some listeners are not valid: " + string.Join(", ", invalid), generation);
        }
        else
        {
            accepted = Condition.True(Reasons.Accepted, Reasons.Accepted, "gateway accepted", generation);
        }

        var programmed = ready > 0
            ? Condition.True(Reasons.Programmed, Reasons.Programmed, "gateway programmed", generation)
            : Condition.False(Reasons.Programmed, Reasons.Invalid, "no listener could be programmed", generation);
        return [accepted, programmed];
    }
}
