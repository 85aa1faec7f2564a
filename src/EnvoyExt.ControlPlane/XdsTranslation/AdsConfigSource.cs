using Envoy.Config.Core.V3;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// "Fetch this over the same ADS stream": RDS and EDS references use it so the server can order
/// every type on one stream.
/// </summary>
internal static class AdsConfigSource
{
    public static ConfigSource Create() => new()
    {
        Ads = new AggregatedConfigSource(),
        ResourceApiVersion = ApiVersion.V3,
    };
}
