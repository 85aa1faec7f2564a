namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A header name checked once (non-empty, no CR/LF/NUL), for the names a filter sets on every request: the
/// <see cref="HeaderMap"/> setters that take it skip the per-call scan of the name. Create it at config time.
/// </summary>
public sealed class HeaderName
{
    private readonly byte[] _bytes;

    /// <summary>Checks and copies <paramref name="name"/>.</summary>
    /// <param name="name">Lower-case header name (UTF-8).</param>
    /// <exception cref="ArgumentException">The name is empty or has CR, LF or NUL.</exception>
    public HeaderName(ReadOnlySpan<byte> name)
    {
        if (!HeaderValidation.IsValidKey(name))
        {
            throw new ArgumentException("a header name must be non-empty and free of CR, LF and NUL", nameof(name));
        }
        _bytes = name.ToArray();
    }

    /// <summary>The name's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;
}
