using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook;

namespace SynthNotebook.Interactive;

/// <summary>How a notebook shows SynthNotebook's values: the library renders the HTML, this only registers it.</summary>
internal static class NotebookFormatters
{
    private static int _registered;

    /// <summary>Registers the formatters, once per process; later calls do nothing.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0)
        {
            return;
        }
        foreach (var type in NotebookViews.Types)
        {
            Formatter.Register(type, (value, writer) => writer.Write(NotebookViews.Html(value)), HtmlFormatter.MimeType);
        }
        UserPlotlyCharts.FormatWheneverLoaded();
    }
}
