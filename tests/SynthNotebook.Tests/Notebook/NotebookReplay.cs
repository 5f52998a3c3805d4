using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook;

namespace SynthNotebook.Tests.Notebook;

/// <summary>A code cell of a notebook: its position among all cells, and its source.</summary>
public sealed record NotebookCell(int Index, string Source);

/// <summary>What a cell produced: the value of its last expression and that value as the kernel shows it (text/html).</summary>
public sealed record CellOutput(NotebookCell Cell, object? Value, string? Html);

/// <summary>
/// Runs the C# cells of a .ipynb in order, in one Roslyn script state, the way the .NET Interactive C# kernel does: a cell
/// continues the previous one's state, its trailing expression is its value, and the value is shown through the
/// Formatter. Kernel directives are honoured as the real kernel does for this package, or fail the replay:
/// <c>#r "nuget: SynthNotebook…"</c> references the built library and runs the package's extension.dib cell; a
/// relative <c>#i</c> fails ("Invalid URI", as in the kernel); any other directive is reported, never dropped.
/// </summary>
public sealed class NotebookReplay
{
    private static readonly Regex Directive = new(@"^\s*#", RegexOptions.Compiled);
    private static readonly Regex SynthNotebookReference = new(@"^#r\s+""nuget:\s*SynthNotebook(\s*,\s*[\w.\-]+)?\s*""\s*$", RegexOptions.Compiled);
    private static readonly Regex NuGetSource = new(@"^#i\s+""nuget:\s*(?<source>[^""]+)""\s*$", RegexOptions.Compiled);

    private readonly Queue<NotebookCell> _pending;
    private ScriptState<object>? _state;

    private NotebookReplay(IReadOnlyList<NotebookCell> cells)
    {
        Cells = cells;
        _pending = new Queue<NotebookCell>(cells);
    }

    /// <summary>The notebook's C# cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The outputs of the cells run so far.</summary>
    public List<CellOutput> Outputs { get; } = [];

    /// <summary>Whether cells are left to run.</summary>
    public bool HasNext => _pending.Count > 0;

    /// <summary>Reads the C# code cells of a Jupyter notebook (System.Text.Json, nbformat 4).</summary>
    public static NotebookReplay Open(string ipynbPath)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(ipynbPath));
        var cells = notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Select((cell, index) => (cell, index))
            .Where(c => c.cell.GetProperty("cell_type").GetString() == "code")
            .Select(c => new NotebookCell(c.index, Source(c.cell)))
            .ToList();
        return new NotebookReplay(cells);
    }

    /// <summary>The source of a cell: nbformat stores it as one string or as a list of lines.</summary>
    public static string Source(JsonElement cell)
    {
        var source = cell.GetProperty("source");
        return source.ValueKind == JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(l => l.GetString())) : source.GetString() ?? "";
    }

    /// <summary>Runs the next cell, as the kernel would, and records its output. A failing cell throws, naming the cell.</summary>
    public async Task<CellOutput> RunNextAsync()
    {
        var cell = _pending.Dequeue();
        try
        {
            var code = await ApplyDirectivesAsync(cell.Source);
            var value = code.Trim().Length == 0 ? null : await RunAsync(code);
            var output = new CellOutput(cell, value, value is null ? null : value.ToDisplayString(HtmlFormatter.MimeType));
            Outputs.Add(output);
            return output;
        }
        catch (Exception error) when (error is not NotebookReplayException)
        {
            throw new NotebookReplayException($"Cell {cell.Index} failed: {error.GetType().Name}: {error.Message}\n--- cell ---\n{cell.Source}", error);
        }
    }

    /// <summary>Runs every cell left.</summary>
    public async Task RunAllAsync()
    {
        while (HasNext)
        {
            await RunNextAsync();
        }
    }

    /// <summary>The current value of a variable the cells declared.</summary>
    public T Variable<T>(string name) =>
        (T)(_state?.GetVariable(name)?.Value ?? throw new InvalidOperationException($"No cell has declared '{name}' yet."));

    private async Task<object?> RunAsync(string code)
    {
        _state = _state is null
            ? await CSharpScript.RunAsync(code, KernelLikeOptions())
            : await _state.ContinueWithAsync(code);
        return _state.ReturnValue;
    }

    // The C# kernel's default imports; the library and the Formatter are what #r "nuget: SynthNotebook" brings.
    private static ScriptOptions KernelLikeOptions() => ScriptOptions.Default
        .WithReferences(typeof(KernelExtension).Assembly, typeof(Formatter).Assembly)
        .WithImports("System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks");

    private async Task<string> ApplyDirectivesAsync(string source)
    {
        var code = new List<string>();
        foreach (var line in source.Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (!Directive.IsMatch(text))
            {
                code.Add(text);
                continue;
            }
            code.Add(""); // keep line numbers of compile errors right
            var directive = text.Trim();
            if (SynthNotebookReference.IsMatch(directive))
            {
                await RunAsync(ExtensionCell());
                continue;
            }
            var nugetSource = NuGetSource.Match(directive);
            if (nugetSource.Success && !Path.IsPathFullyQualified(nugetSource.Groups["source"].Value)
                && !Uri.TryCreate(nugetSource.Groups["source"].Value, UriKind.Absolute, out _))
            {
                throw new NotebookReplayException(
                    $"{directive}: a relative package source fails in the .NET Interactive kernel (\"Invalid URI\"); " +
                    "use the NuGet.config beside the notebook instead.");
            }
            throw new NotebookReplayException(
                $"{directive}: a directive this replay does not run (only #r \"nuget: SynthNotebook\" is); the notebook " +
                "must not depend on it, or the replay must learn it.");
        }
        return string.Join("\n", code);
    }

    // What the package's interactive-extensions/dotnet/extension.dib runs when the kernel loads it.
    private static string ExtensionCell()
    {
        var dib = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "src", "SynthNotebook", "Notebook", "extension.dib"));
        return dib.Replace("#!csharp", "", StringComparison.Ordinal);
    }
}

/// <summary>A notebook cell did what the real kernel would not accept, or failed.</summary>
public sealed class NotebookReplayException(string message, Exception? inner = null) : Exception(message, inner);
