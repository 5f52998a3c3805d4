using Microsoft.DotNet.Interactive.Documents;
using JupyterNotebook = Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook;

namespace SynthNotebook.Tests.Notebook.Kernel;

/// <summary>notebooks/ as the kernel's own document model reads them.</summary>
public static class NotebookDocument
{
    public static string IpynbPath => Path.Combine(RepositoryFiles.Root, "notebooks", "RealTimeSynthesis.ipynb");

    /// <summary>The C# cells of a .ipynb, in order.</summary>
    public static IReadOnlyList<string> CSharpCells(string ipynbPath) =>
        [.. Elements(JupyterNotebook.Parse(File.ReadAllText(ipynbPath))).Where(e => e.KernelName == "csharp").Select(e => e.Contents)];

    /// <summary>Every cell of a .ipynb: its kernel ("markdown" for text) and its source.</summary>
    public static IReadOnlyList<(string Kernel, string Source)> Cells(InteractiveDocument document) =>
        [.. Elements(document).Select(e => (e.KernelName ?? "", e.Contents.Trim()))];

    /// <summary>A .ipynb parsed.</summary>
    public static InteractiveDocument Ipynb(string path) => JupyterNotebook.Parse(File.ReadAllText(path));

    /// <summary>A .dib parsed.</summary>
    public static InteractiveDocument Dib(string path) => CodeSubmission.Parse(File.ReadAllText(path));

    private static IEnumerable<InteractiveDocumentElement> Elements(InteractiveDocument document) => document.Elements;
}
