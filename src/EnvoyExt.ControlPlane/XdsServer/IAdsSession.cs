namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>Protocol state of one ADS stream (SotW or Delta), driven by <see cref="AdsStreamLoop"/>.</summary>
internal interface IAdsSession<in TRequest>
{
    string? NodeKeyValue { get; }

    string NodeId { get; }

    /// <summary>Applies a request; true when it identified the node (the first request).</summary>
    bool Handle(TRequest request);

    /// <summary>Sends every response that is due, in push order.</summary>
    Task FlushAsync();

    void Close();
}
