using System.Text.Json;

namespace SynthNotebook.Tests.Notebook.Jupyter;

/// <summary>A notebook as `jupyter nbconvert --execute` left it: each code cell's source and outputs.</summary>
public sealed record ExecutedNotebook(IReadOnlyList<ExecutedCell> Cells)
{
    public static ExecutedNotebook Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new ExecutedNotebook([.. document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => new ExecutedCell(Text(c.GetProperty("source")), [.. c.GetProperty("outputs").EnumerateArray().Select(o => o.Clone())]))]);
    }

    /// <summary>The one code cell whose source contains <paramref name="code"/>.</summary>
    public ExecutedCell Cell(string code) => Cells.Single(c => c.Source.Contains(code, StringComparison.Ordinal));

    /// <summary>nbformat keeps text as one string or as a list of lines.</summary>
    public static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? string.Concat(value.EnumerateArray().Select(l => l.GetString())) : value.GetString() ?? "";
}

/// <summary>One executed code cell.</summary>
public sealed record ExecutedCell(string Source, IReadOnlyList<JsonElement> Outputs)
{
    /// <summary>The cell's error outputs, as "ename: evalue".</summary>
    public IReadOnlyList<string> Errors =>
        [.. Outputs.Where(o => o.GetProperty("output_type").GetString() == "error")
            .Select(o => $"{o.GetProperty("ename").GetString()}: {o.GetProperty("evalue").GetString()}")];

    /// <summary>All text/html the cell showed, in order.</summary>
    public string Html => string.Concat(Outputs
        .Where(o => o.TryGetProperty("data", out var data) && data.TryGetProperty("text/html", out _))
        .Select(o => ExecutedNotebook.Text(o.GetProperty("data").GetProperty("text/html"))));
}
