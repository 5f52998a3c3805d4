using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace SynthNotebook.PlotlyEngine;

/// <summary>
/// What SynthNotebook calls across its AssemblyLoadContext boundary. Parameters and results are BCL types only, so
/// neither Plotly.NET nor this engine's FSharp.Core ever reach the caller's context.
/// </summary>
public static class ChartEngine
{
    private static readonly Lazy<string> PlotlyJs = new(ReadEmbeddedPlotlyJs);

    /// <summary>The version of the plotly.js bundled in Plotly.NET, e.g. "2.28.0".</summary>
    public static string PlotlyJsVersion() => Globals.PLOTLYJS_VERSION;

    /// <summary>plotly.min.js as Plotly.NET embeds it, so charts draw offline.</summary>
    public static string PlotlyJsSource() => PlotlyJs.Value;

    /// <summary>
    /// The Plotly figure (<c>{"data":[…],"layout":{…}}</c>) of one line trace per series; series i has
    /// <paramref name="names"/>[i], <paramref name="xs"/>[i] and <paramref name="ys"/>[i].
    /// </summary>
    public static string LineFigureJson(
        string title, string xTitle, string yTitle, bool logarithmicX, string[] names, double[][] xs, float[][] ys)
    {
        var traces = new GenericChart[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            traces[i] = Chart.Line<double, float, string>(xs[i], ys[i], Name: names[i], ShowLegend: names.Length > 1);
        }
        var axisType = logarithmicX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear;
        var chart = Plotly.NET.Chart.withTitle(title, null).Invoke(Chart.Combine(traces))
            .WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: axisType)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle);
        // Plotly.NET fixes every chart at 600×600 px; a notebook chart should take the output's width instead.
        var figure = JObject.Parse(GenericChart.toFigureJson(chart));
        var layout = (JObject)figure["layout"]!;
        layout.Remove("width");
        layout.Remove("height");
        layout["autosize"] = true;
        return figure.ToString(Formatting.None);
    }

    /// <summary>The figure of a chart the user built with Plotly.NET in this context.</summary>
    public static string FigureJsonOf(object genericChart) => GenericChart.toFigureJson((GenericChart)genericChart);

    private static string ReadEmbeddedPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET {assembly.GetName().Version} has no embedded '{name}'.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
