using System.Buffers.Text;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.Auth.Credentials;

namespace EnvoyExt.Filters.Auth.BasicAuth;

/// <summary><c>Authorization: Basic base64(user:password)</c> checked against htpasswd entries.</summary>
internal sealed class BasicAuthMethod
{
    private const int MaxDecodedBytes = AuthFilterContract.MaxCredentialBytes / 4 * 3;

    private readonly SecretView<HtpasswdTable> _table;

    public BasicAuthMethod(BasicAuthConfig config, SecretView<HtpasswdTable> table)
    {
        _table = table;
        UserHeader = config.UserHeader is null ? null : new HeaderName(Encoding.UTF8.GetBytes(config.UserHeader));
        StripCredential = !config.KeepCredential;
    }

    public CredentialLocation Location { get; } = CredentialLocation.FromHeader("authorization", "Basic ");

    public HeaderName? UserHeader { get; }

    public bool StripCredential { get; }

    public MethodOutcome Check(in HttpFilterContext ctx, ref Identity identity)
    {
        if (!Location.TryRead(ctx.RequestHeaders, out var encoded) || encoded.IsEmpty)
        {
            return MethodOutcome.Missing;
        }
        if (encoded.Length > AuthFilterContract.MaxCredentialBytes || _table.Get(ctx) is not { } table)
        {
            return MethodOutcome.Invalid;
        }
        Span<byte> decoded = stackalloc byte[MaxDecodedBytes];
        if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return MethodOutcome.Invalid;
        }
        var credential = decoded[..written];
        var colon = credential.IndexOf((byte)':');
        if (colon <= 0)
        {
            return MethodOutcome.Invalid;
        }
        var entry = table.Verify(credential[..colon], credential[(colon + 1)..], credential);
        if (entry is null)
        {
            return MethodOutcome.Invalid;
        }
        identity.BasicUser = entry.User;
        return MethodOutcome.Passed;
    }
}
