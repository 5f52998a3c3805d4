using System.Runtime.Loader;
using Microsoft.FSharp.Core;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Notebook.Charts;

/// <summary>The kernel's condition: FSharp.Core 10.0 in the default context, and Plotly.NET 6 (FSharp.Core 10.1) anyway.</summary>
public sealed class PlotlyEngineTests
{
    [Fact]
    public void ChartsDrawWithTheKernelsOlderFSharpCoreInTheDefaultContext()
    {
        var kernelFSharpCore = typeof(FSharpOption<int>).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(kernelFSharpCore));
        Assert.Equal(new Version(10, 0, 0, 0), kernelFSharpCore.GetName().Version);

        var figure = Plot.GluedBlocks(new Synth()).FigureJson;

        Assert.StartsWith("{\"data\":[", figure);
        var engineAssemblies = PlotlyEngine.Context.Assemblies.ToDictionary(a => a.GetName().Name!, a => a.GetName().Version);
        Assert.Equal(new Version(10, 1, 0, 0), engineAssemblies["FSharp.Core"]);
        Assert.Equal(new Version(6, 0, 0, 0), engineAssemblies["Plotly.NET"]);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Plotly.NET");
        Assert.Same(kernelFSharpCore, AssemblyLoadContext.Default.Assemblies.Single(a => a.GetName().Name == "FSharp.Core"));
    }

    [Fact]
    public void PlotlyJsComesFromPlotlyNetSoChartsDrawOffline()
    {
        Assert.Equal("2.28.0", PlotlyEngine.PlotlyJsVersion());
        var plotlyJs = PlotlyEngine.PlotlyJsSource();
        Assert.Contains("plotly.js v2.28.0", plotlyJs[..2000]);
        Assert.True(plotlyJs.Length > 3_000_000, $"plotly.min.js is only {plotlyJs.Length} characters");
    }
}
