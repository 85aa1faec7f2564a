using System.Text;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>Quoting literals into RE2 patterns (Regex.Escape targets .NET syntax, e.g. it escapes spaces and '#').</summary>
internal static class Re2
{
    private const string Special = @"\.+*?()|[]{}^$";

    public static string Escape(string literal)
    {
        var sb = new StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (Special.Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
