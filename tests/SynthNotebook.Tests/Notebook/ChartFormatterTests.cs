using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Notebook;

[Collection(KernelExtensionCollection.Name)]
public sealed class ChartFormatterTests
{
    private const string PlotlyJsBanner = "plotly.js v2.28.0";

    [Fact]
    public void TheFirstChartAfterLoadingCarriesPlotlyJsAndTheNextOnesDoNot()
    {
        KernelExtension.Load();
        var synth = new Synth();

        var first = Plot.GluedBlocks(synth).ToDisplayString(HtmlFormatter.MimeType);
        var second = Plot.Spectrum(synth).ToDisplayString(HtmlFormatter.MimeType);
        KernelExtension.Load();
        var afterReload = Plot.GluedBlocks(synth).ToDisplayString(HtmlFormatter.MimeType);

        Assert.Contains(PlotlyJsBanner, first);
        Assert.DoesNotContain(PlotlyJsBanner, second);
        Assert.Contains("class=\"synthnotebook-chart\"", second);
        Assert.Contains("synthnotebook:plotly", second); // it waits for the first chart's plotly.js
        Assert.Contains(PlotlyJsBanner, afterReload);
    }

    [Fact]
    public void EveryChartCarriesPlotlyJsWhenAsked()
    {
        KernelExtension.Load();
        ChartHtml.EmbedPlotlyJsInEveryChart = true;
        try
        {
            var charts = Enumerable.Range(0, 2).Select(_ => Plot.Waveform([0f, 1f]).ToDisplayString(HtmlFormatter.MimeType));
            Assert.All(charts, html => Assert.Contains(PlotlyJsBanner, html));
        }
        finally
        {
            ChartHtml.EmbedPlotlyJsInEveryChart = false;
        }
    }

    [Fact]
    public void ASampleBufferShowsAsItsWaveform()
    {
        KernelExtension.Load();
        var block = new Synth().RenderBlocks(1);

        var html = block.ToDisplayString(HtmlFormatter.MimeType);

        Assert.Contains("class=\"synthnotebook-chart\"", html);
        Assert.Contains(Plot.Waveform(block).FigureJson.Replace("</", "<\\/"), html);
    }

    [Fact]
    public void ATitleCannotEndTheChartsScriptEarly()
    {
        var html = new SignalChart("</script><b>bold</b>", "x", "y", [new ChartSeries("s", [0], [0f])]).ToHtml(includePlotlyJs: false);

        Assert.DoesNotContain("</script><b>", html);
        Assert.Equal(1, html.Split("</script>").Length - 1);
    }

    [Fact]
    public void AGenericChartFromTheUsersOwnPlotlyNetShowsAsAChart()
    {
        KernelExtension.Load();
        // Where the user's Plotly.NET can load (its FSharp.Core ≥ 10.1 beside it), as in a kernel with a newer FSharp.Core.
        var userContext = new FolderLoadContext(PlotlyEngine.Folder);
        var plotly = userContext.LoadFromAssemblyName(new AssemblyName("Plotly.NET"));
        var chart = plotly.GetType("Plotly.NET.Chart", throwOnError: true)!.GetMethod("Invisible")!.Invoke(null, null)!;

        var html = chart.ToDisplayString(HtmlFormatter.MimeType);

        Assert.Contains("class=\"synthnotebook-chart\"", html);
        Assert.Contains("{\"data\":[", html);
        Assert.Contains("\"layout\":", html);
    }

    private sealed class FolderLoadContext(string folder) : AssemblyLoadContext("user's Plotly.NET", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
