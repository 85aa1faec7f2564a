using EnvoyExt.Filters.Auth.Jwt;

namespace EnvoyExt.Filters.Auth;

/// <summary>
/// Who the request is, by method. Every field refers to long-lived parsed data (a key table entry, an
/// htpasswd entry, a cached verified token), never to Envoy's header views, so it survives header edits.
/// </summary>
internal struct Identity
{
    public byte[]? ApiKeyClientId;
    public byte[]? BasicUser;
    public VerifiedToken? Token;
}
