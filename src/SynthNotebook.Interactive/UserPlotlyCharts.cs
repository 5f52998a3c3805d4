using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook.Charts;

namespace SynthNotebook.Interactive;

/// <summary>
/// A Plotly.NET GenericChart the user builds with their own Plotly.NET shows as a chart too (the job of
/// Plotly.NET.Interactive, which a kernel here does not have). That Plotly.NET is only usable where its FSharp.Core
/// loads, and the library never references it: the formatter binds to whichever Plotly.NET assembly appears.
/// </summary>
internal static class UserPlotlyCharts
{
    private static readonly HashSet<Assembly> Registered = [];

    public static void FormatWheneverLoaded()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, loaded) => TryRegister(loaded.LoadedAssembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            TryRegister(assembly);
        }
    }

    private static void TryRegister(Assembly assembly)
    {
        if (assembly.GetName().Name != "Plotly.NET" || AssemblyLoadContext.GetLoadContext(assembly) is PlotlyEngineContext)
        {
            return;
        }
        lock (Registered)
        {
            if (!Registered.Add(assembly))
            {
                return;
            }
        }
        var chartType = assembly.GetType("Plotly.NET.GenericChart");
        var toFigureJson = chartType?.GetMethod("toFigureJson", BindingFlags.Public | BindingFlags.Static, [chartType]);
        if (chartType is null || toFigureJson is null)
        {
            return; // a Plotly.NET without GenericChart.toFigureJson: leave its charts to the default formatters
        }
        Formatter.Register(
            chartType,
            (chart, writer) => writer.Write(ChartHtml.ForNotebook((string)toFigureJson.Invoke(null, [chart])!)),
            HtmlFormatter.MimeType);
    }
}
