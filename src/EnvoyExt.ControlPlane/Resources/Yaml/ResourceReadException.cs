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

    private static string Format(string file, int line, string field, string problem) =>
        field.Length == 0 ? $"{file}:{line}: {problem}" : $"{file}:{line}: {field}: {problem}";
}
