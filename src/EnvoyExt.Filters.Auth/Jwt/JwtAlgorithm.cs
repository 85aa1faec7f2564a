using System.Security.Cryptography;

namespace EnvoyExt.Filters.Auth.Jwt;

/// <summary>The JWS algorithms the filter verifies (EdDSA is absent: the .NET runtime has no Ed25519).</summary>
internal enum JwtAlgorithm
{
    None = 0,
    RS256,
    RS384,
    RS512,
    PS256,
    ES256,
    ES384,
    HS256,
}

internal static class JwtAlgorithms
{
    public static JwtAlgorithm Parse(string? name) => name switch
    {
        "RS256" => JwtAlgorithm.RS256,
        "RS384" => JwtAlgorithm.RS384,
        "RS512" => JwtAlgorithm.RS512,
        "PS256" => JwtAlgorithm.PS256,
        "ES256" => JwtAlgorithm.ES256,
        "ES384" => JwtAlgorithm.ES384,
        "HS256" => JwtAlgorithm.HS256,
        _ => JwtAlgorithm.None,
    };

    public static HashAlgorithmName Hash(JwtAlgorithm algorithm) => algorithm switch
    {
        JwtAlgorithm.RS384 or JwtAlgorithm.ES384 => HashAlgorithmName.SHA384,
        JwtAlgorithm.RS512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>The key type an algorithm needs; a mismatch (e.g. HS256 with an RSA key) is rejected.</summary>
    public static KeyType KeyTypeOf(JwtAlgorithm algorithm) => algorithm switch
    {
        JwtAlgorithm.RS256 or JwtAlgorithm.RS384 or JwtAlgorithm.RS512 or JwtAlgorithm.PS256 => KeyType.Rsa,
        JwtAlgorithm.ES256 => KeyType.EcP256,
        JwtAlgorithm.ES384 => KeyType.EcP384,
        JwtAlgorithm.HS256 => KeyType.Symmetric,
        _ => KeyType.None,
    };
}

internal enum KeyType
{
    None,
    Rsa,
    EcP256,
    EcP384,
    Symmetric,
}
