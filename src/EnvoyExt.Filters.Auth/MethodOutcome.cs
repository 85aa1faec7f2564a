namespace EnvoyExt.Filters.Auth;

/// <summary>What one authentication method concluded about a request.</summary>
internal enum MethodOutcome
{
    /// <summary>No credential for this method was presented.</summary>
    Missing,

    /// <summary>A credential was presented and rejected.</summary>
    Invalid,

    /// <summary>The credential is valid; the identity is set.</summary>
    Passed,

    /// <summary>A JWT is presented but no key set has arrived yet (first remote fetch).</summary>
    NeedsKeys,
}
