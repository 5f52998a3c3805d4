using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// Charts as notebook HTML: a div and a script that draws a Plotly figure into it with the page's plotly.js. plotly.js
/// (from Plotly.NET, so charts draw offline) is 3.6 MB: a page gets it once, from the extension's banner under the
/// <c>#r</c> cell (which every page of a notebook shows, saved or not); a page without it fetches it from this kernel's
/// <see cref="PlotlyJsServer"/>.
/// </summary>
public static class ChartHtml
{
    private const string PlotlyMarker = "/* plotly.min.js */";
    private static readonly Lazy<string> ChartScript = new(() => EmbeddedScript.Read("SynthNotebook.Charts.chart.js"));
    private static readonly Lazy<string> PlotlyInstaller = new(BuildPlotlyScript);
    private static readonly string PlotlyMissingHelp = ScriptSafe(JsonSerializer.Serialize(
        "plotly.js is not on this page: it comes with the output of the #r \"nuget: SynthNotebook\" cell, or from the " +
        "kernel that drew this chart, which is no longer running. Run this cell again.", SynthNotebookJson.Default.String));

    /// <summary>Put plotly.js into every chart (self-contained outputs, 3.6 MB each), e.g. for HTML to use elsewhere.</summary>
    public static bool EmbedPlotlyJsInEveryChart { get; set; }

    /// <summary>A chart for a notebook output: the figure, and where its page can fetch plotly.js if it has none.</summary>
    public static string ForNotebook(string figureJson) =>
        EmbedPlotlyJsInEveryChart ? Fragment(figureJson, includePlotlyJs: true) : Fragment(figureJson, false, PlotlyJsServer.ScriptUrl);

    /// <summary>
    /// Makes one small chart on a pool thread (the engine loaded, Plotly.NET jitted and its template written, the
    /// plotly.js server started), so that the first chart a cell shows costs what the others do, not a second.
    /// </summary>
    public static Task WarmUpAsync() => Task.Run(() => ForNotebook(Plot.Waveform([0f, 0f]).FigureJson));

    /// <summary>A script element that puts plotly.js on the page once (later ones find it there).</summary>
    public static string PlotlyJsScript() => $"<script type=\"text/javascript\">{PlotlyInstaller.Value}</script>";

    /// <summary>A div and the script that draws <paramref name="figureJson"/> into it, with plotly.js first if asked.</summary>
    public static string Fragment(string figureJson, bool includePlotlyJs, Uri? plotlyJsUrl = null)
    {
        var id = "synthnotebook-chart-" + Guid.NewGuid().ToString("N");
        var html = new StringBuilder(figureJson.Length + 2048);
        if (includePlotlyJs)
        {
            html.Append(PlotlyJsScript());
        }
        html.Append($"<div id=\"{id}\" class=\"synthnotebook-chart\" style=\"width: 100%; height: 420px\"></div>");
        html.Append("<script type=\"text/javascript\">")
            .Append(ChartScript.Value.TrimEnd())
            .Append($"(document.getElementById('{id}'), ")
            .Append(ScriptSafe(figureJson))
            .Append(", ")
            .Append(plotlyJsUrl is null ? "null" : JsonSerializer.Serialize(plotlyJsUrl.ToString(), SynthNotebookJson.Default.String))
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
