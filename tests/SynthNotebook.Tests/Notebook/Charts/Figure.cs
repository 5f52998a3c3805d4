using System.Text.Json;
using SynthNotebook.Tests.Notebook;

namespace SynthNotebook.Tests.Notebook.Charts;

/// <summary>The traces of a Plotly figure as Plotly.NET wrote it.</summary>
internal sealed record Figure(string? XAxisType, IReadOnlyList<FigureTrace> Traces)
{
    /// <summary>The figures of the charts in an HTML output, in order: each is the JSON value after a chart div's id.</summary>
    public static IReadOnlyList<Figure> AllInHtml(string html) =>
        ScriptJson.ValuesAfter(html, @"\(document\.getElementById\('synthnotebook-chart-\w+'\), ")
            .Select(figure => Parse(figure.GetRawText())).ToList();

    public static Figure Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var layout = document.RootElement.GetProperty("layout");
        var xAxisType = layout.TryGetProperty("xaxis", out var xAxis) && xAxis.TryGetProperty("type", out var type) ? type.GetString() : null;
        return new Figure(xAxisType, document.RootElement.GetProperty("data").EnumerateArray().Select(trace => new FigureTrace(
            trace.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
            trace.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            trace.GetProperty("y").EnumerateArray().Select(v => v.GetSingle()).ToArray())).ToList());
    }
}

internal sealed record FigureTrace(string Name, double[] X, float[] Y);
