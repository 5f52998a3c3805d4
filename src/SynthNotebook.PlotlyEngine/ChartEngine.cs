using System.Globalization;
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

    // Plotly.NET writes its default template (8 kB of JSON) anew for every figure, at 112 MB and 200 ms a time: it is
    // written once here, and each figure is made with an empty template and given this one.
    private static readonly Lazy<string> DefaultTemplateJson = new(() =>
        JObject.Parse(GenericChart.toFigureJson(Chart.Line<double, float, string>(Array.Empty<double>(), Array.Empty<float>())))
            ["layout"]!["template"]!.ToString(Formatting.None));

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
        // Plotly.NET makes the figure, its traces, axes and styling; the samples themselves are written straight into
        // it, as is the default template, written once.
        var traces = new GenericChart[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            traces[i] = Chart.Line<double, float, string>(Array.Empty<double>(), Array.Empty<float>(), Name: names[i], ShowLegend: names.Length > 1);
        }
        var axisType = logarithmicX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear;
        var chart = Plotly.NET.Chart.withTitle(title, null).Invoke(Chart.Combine(traces))
            .WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: axisType)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle);
        chart = Plotly.NET.Chart.withTemplate(ChartTemplates.transparent).Invoke(chart);
        var figure = JObject.Parse(GenericChart.toFigureJson(chart));
        // Plotly.NET fixes every chart at 600×600 px; a notebook chart should take the output's width instead.
        var layout = (JObject)figure["layout"]!;
        layout.Remove("width");
        layout.Remove("height");
        layout["autosize"] = true;
        layout["template"] = new JRaw(DefaultTemplateJson.Value);
        var data = (JArray)figure["data"]!;
        for (var i = 0; i < names.Length; i++)
        {
            data[i]["x"] = new JRaw(JsonArray(xs[i], static (text, x) => text.Append(x.ToString("R", CultureInfo.InvariantCulture))));
            data[i]["y"] = new JRaw(JsonArray(ys[i], static (text, y) => text.Append(y.ToString("R", CultureInfo.InvariantCulture))));
        }
        return figure.ToString(Formatting.None);
    }

    // Numbers in their shortest round-trip form, so a float read back is the float written.
    private static string JsonArray<T>(T[] values, Action<StringBuilder, T> append)
    {
        var text = new StringBuilder(values.Length * 12 + 2).Append('[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            append(text, values[i]);
        }
        return text.Append(']').ToString();
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
