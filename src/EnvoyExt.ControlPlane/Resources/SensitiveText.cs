namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// Text that must never be printed (private keys). ToString is redacted so string interpolation,
/// record printing and log templates cannot leak it; only code that asks for <see cref="Reveal"/>
/// (the SDS translator) gets the value. Equality is by value so an unchanged Secret stays equal.
/// </summary>
public sealed class SensitiveText(string value) : IEquatable<SensitiveText>
{
    public const string Redacted = "[redacted]";

    private readonly string _value = value;

    public int Length => _value.Length;

    public string Reveal() => _value;

    public override string ToString() => Redacted;

    public bool Equals(SensitiveText? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SensitiveText);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
