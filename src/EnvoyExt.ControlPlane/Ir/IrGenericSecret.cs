using System.Text.Json.Serialization;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// A generic secret a filter reads over SDS (API keys, htpasswd data, an HMAC key, a Redis password).
/// The value is left out of the IR's JSON and of ToString; only the SDS translator reveals it.
/// </summary>
/// <param name="Name">The SDS resource name the filter's config subscribes to.</param>
public sealed record IrGenericSecret(string Name, [property: JsonIgnore] SensitiveText Value)
{
    public override string ToString() => $"IrGenericSecret {{ Name = {Name}, Value = {SensitiveText.Redacted} }}";
}
