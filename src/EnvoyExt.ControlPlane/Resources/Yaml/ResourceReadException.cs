namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// A resource that cannot be read, with the place to fix it:
/// "routes/api.yaml:14: spec.rules[0].backendRefs[0].port: expected an integer".
/// </summary>
public sealed class ResourceReadException(string file, int line, string field, string problem)
    : Exception(Format(file, line, field, problem))
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Field { get; } = field;

    /// <summary>Problems quote values from the file; a hostile value must not become a megabyte log line.</summary>
    public const int MaxProblemChars = 512;

    private static string Format(string file, int line, string field, string problem)
    {
        if (problem.Length > MaxProblemChars)
        {
            problem = problem[..MaxProblemChars] + $"... ({problem.Length - MaxProblemChars} more characters)";
        }

        return field.Length == 0 ? $"{file}:{line}: {problem}" : $"{file}:{line}: {field}: {problem}";
    }
}
