using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// Charts as notebook HTML: a div and a script that draws a Plotly figure into it. plotly.js (from Plotly.NET, so charts
/// draw offline) is 3.6 MB, so a notebook page gets it once: with the first chart shown after the extension loads.
/// </summary>
public static class ChartHtml
{
    private const string PlotlyMarker = "/* plotly.min.js */";
    private static readonly Lazy<string> ChartScript = new(() => EmbeddedScript.Read("SynthNotebook.Charts.chart.js"));
    private static readonly Lazy<string> PlotlyScript = new(BuildPlotlyScript);
    private static readonly string PlotlyMissingHelp = ScriptSafe(JsonSerializer.Serialize(
        "plotly.js is not on this page: it comes with the first chart shown after SynthNotebook loads. Re-run that " +
        "cell, or set SynthNotebook.Notebook.Charts.ChartHtml.EmbedPlotlyJsInEveryChart = true and re-run this one."));
    private static int _plotlyJsShown;

    /// <summary>Put plotly.js into every chart (self-contained outputs, 3.6 MB each) rather than the first one only.</summary>
    public static bool EmbedPlotlyJsInEveryChart { get; set; }

    /// <summary>The next chart carries plotly.js again: a new kernel session means a new page.</summary>
    public static void StartNewPage() => Interlocked.Exchange(ref _plotlyJsShown, 0);

    /// <summary>A chart for the notebook: it carries plotly.js when it is the first since the page started.</summary>
    public static string ForNotebook(string figureJson) =>
        Fragment(figureJson, EmbedPlotlyJsInEveryChart || Interlocked.Exchange(ref _plotlyJsShown, 1) == 0);

    /// <summary>A div and the script that draws <paramref name="figureJson"/> into it, with plotly.js first if asked.</summary>
    public static string Fragment(string figureJson, bool includePlotlyJs)
    {
        var id = "synthnotebook-chart-" + Guid.NewGuid().ToString("N");
        var html = new StringBuilder(figureJson.Length + 2048);
        if (includePlotlyJs)
        {
            html.Append("<script type=\"text/javascript\">").Append(PlotlyScript.Value).Append("</script>");
        }
        html.Append($"<div id=\"{id}\" class=\"synthnotebook-chart\" style=\"width: 100%; height: 420px\"></div>");
        html.Append("<script type=\"text/javascript\">")
            .Append(ChartScript.Value.TrimEnd())
            .Append($"(document.getElementById('{id}'), ")
            .Append(ScriptSafe(figureJson))
            .Append(", ")
            .Append(PlotlyMissingHelp)
            .Append(");</script>");
        return html.ToString();
    }

    // "</script" anywhere in a script element's text ends the element early; in JSON strings and in plotly.min.js it only
    // appears inside string literals, where "<\/" means the same.
    private static string ScriptSafe(string script) =>
        Regex.Replace(script, "</(script)", "<\\/$1", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static string BuildPlotlyScript()
    {
        var installer = EmbeddedScript.Read("SynthNotebook.Charts.plotly-once.js");
        var at = installer.IndexOf(PlotlyMarker, StringComparison.Ordinal);
        return installer[..at] + ScriptSafe(PlotlyEngine.PlotlyJsSource()) + installer[(at + PlotlyMarker.Length)..];
    }
}
