using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>A Gateway listener after validation, plus the counters routes update while attaching.</summary>
internal sealed class ListenerState(Gateway gateway, Listener listener, int index)
{
    public Gateway Gateway { get; } = gateway;

    public Listener Listener { get; } = listener;

    /// <summary>Position in spec.listeners; the first listener on a port names the merged IR listener.</summary>
    public int Index { get; } = index;

    /// <summary>Routes may attach and the listener is programmed into the IR.</summary>
    public bool Ready { get; set; } = true;

    public List<SupportedKind> SupportedKinds { get; } = [];

    /// <summary>The certificates of a terminating listener (HTTPS); empty otherwise.</summary>
    public IReadOnlyList<IrSecret> Certificates { get; set; } = [];

    /// <summary>The client-certificate validation of a terminating listener's port; null when none is asked for.</summary>
    public IrCaBundle? ClientValidation { get; set; }

    public List<Condition> Conditions { get; } = [];

    public int AttachedRoutes { get; set; }

    public string Key => Gateway.Metadata.Key + "/" + Listener.Name;
}
