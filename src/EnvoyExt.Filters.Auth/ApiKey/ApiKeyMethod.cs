using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.Auth.Credentials;

namespace EnvoyExt.Filters.Auth.ApiKey;

/// <summary>API keys read from the request, looked up in the secret's table.</summary>
internal sealed class ApiKeyMethod
{
    private readonly SecretView<ApiKeyTable> _table;

    public ApiKeyMethod(ApiKeyConfig config, SecretView<ApiKeyTable> table)
    {
        _table = table;
        Locations = CredentialLocation.Compile(config.From, CredentialLocation.FromHeader("x-api-key", null));
        ClientIdHeader = config.ClientIdHeader is null ? null : new HeaderName(Encoding.UTF8.GetBytes(config.ClientIdHeader));
        StripCredential = !config.KeepCredential;
    }

    public CredentialLocation[] Locations { get; }

    public HeaderName? ClientIdHeader { get; }

    public bool StripCredential { get; }

    public MethodOutcome Check(in HttpFilterContext ctx, ref Identity identity)
    {
        if (!CredentialLocation.TryRead(Locations, ctx.RequestHeaders, out var key))
        {
            return MethodOutcome.Missing;
        }
        if (key.Length > AuthFilterContract.MaxCredentialBytes || _table.Get(ctx) is not { } table)
        {
            return MethodOutcome.Invalid;
        }
        var clientId = table.Find(key);
        if (clientId is null)
        {
            return MethodOutcome.Invalid;
        }
        identity.ApiKeyClientId = clientId;
        return MethodOutcome.Passed;
    }
}
