namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>A run of whole YAML documents cut from a file, and the file line it starts on (1-based).</summary>
internal readonly record struct DocumentPiece(string Text, int FirstLine);

/// <summary>
/// Cuts a large multi-document file into pieces of whole documents so they can be parsed on
/// several cores (one YAML parser is sequential, and one file of thousands of routes is common).
/// A line starting with "---" and then a space, tab or line end always starts a document in YAML,
/// even inside a block scalar, so cutting there never changes what a valid file means.
/// </summary>
internal static class DocumentPieces
{
    /// <summary>Below this a file is parsed in one go: splitting costs more than it saves.</summary>
    private const int MinPieceChars = 256 * 1024;

    public static List<DocumentPiece> Split(string text)
    {
        var wanted = Math.Min(Environment.ProcessorCount * 2, text.Length / MinPieceChars);
        if (wanted < 2 || HasDirectives(text))
        {
            return [new DocumentPiece(text, 1)];
        }

        var pieces = new List<DocumentPiece>(wanted);
        var target = text.Length / wanted;
        var start = 0;
        var startLine = 1;
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n')
            {
                continue;
            }

            line++;
            var next = i + 1;
            if (next - start >= target && IsDocumentStart(text, next))
            {
                pieces.Add(new DocumentPiece(text[start..next], startLine));
                start = next;
                startLine = line;
            }
        }

        pieces.Add(new DocumentPiece(text[start..], startLine));
        return pieces;
    }

    private static bool IsDocumentStart(string text, int at) =>
        text.AsSpan(at).StartsWith("---", StringComparison.Ordinal)
        && (at + 3 == text.Length || text[at + 3] is ' ' or '\t' or '\r' or '\n');

    /// <summary>"%YAML" / "%TAG" directives belong to the next document; such rare files are not split.</summary>
    private static bool HasDirectives(string text) => text.StartsWith('%') || text.Contains("\n%", StringComparison.Ordinal);
}
