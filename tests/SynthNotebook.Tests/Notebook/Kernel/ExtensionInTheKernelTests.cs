using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Streaming;

namespace SynthNotebook.Tests.Notebook.Kernel;

/// <summary>The extension as the real kernel loads it from the package: formatters, the banner, shutdown, errors.</summary>
[Collection(KernelCollection.Name)]
public sealed class ExtensionInTheKernelTests
{
    private const string Usings = "using SynthNotebook.Notebook.Charts; using SynthNotebook.Streaming; using SynthNotebook.Synthesis;";
    private const string PlotlyJsBanner = "plotly.js v2.28.0";

    [Fact]
    public async Task DisposingTheKernelStopsItsServersAndFreesTheirPorts()
    {
        var kernel = await LoadedKernelAsync();
        (await kernel.RunAsync("var server = SynthServer.Start(new Synth(), port: 0); Plot.Waveform(new float[] { 0, 1 })")).AssertSucceeded();
        var server = kernel.Value<SynthServer>("server");
        var plotlyJs = PlotlyJsServer.ScriptUrl;

        kernel.Dispose();

        Assert.False(server.IsRunning);
        Assert.DoesNotContain(server, SynthServer.Running);
        Ports.AssertFree(server.Port);
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(plotlyJs));
    }

    [Fact]
    public async Task ATakenPortInACellIsOneClearLine()
    {
        using var foreign = Ports.HoldOne();
        using var kernel = await LoadedKernelAsync();

        var failure = (await kernel.RunAsync($"SynthServer.Start(new Synth(), port: {foreign.Port})")).Failure;

        Assert.NotNull(failure);
        Assert.Contains($"Port {foreign.Port} on 127.0.0.1 is taken by another program", failure);
        Assert.DoesNotContain("   at ", failure);
    }

    [Fact]
    public async Task ChartsCarryNoPlotlyJsButSayWhereThisKernelServesIt()
    {
        using var kernel = await LoadedKernelAsync();

        var chart = (await kernel.RunAsync("Plot.Waveform(new float[] { 0, 0.5f, -0.5f })")).AssertSucceeded().AllHtml;

        Assert.DoesNotContain(PlotlyJsBanner, chart);
        Assert.Contains("class=\"synthnotebook-chart\"", chart);
        var url = PlotlyJsServer.ScriptUrl.ToString();
        Assert.Contains($"\"{url}\"", chart);
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(PlotlyJsBanner, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(new Uri(url), "/?token=x"))).StatusCode);
    }

    [Fact]
    public async Task ASynthIsItsParametersUntilAServerStreamsItThenItsPlayer()
    {
        using var kernel = await LoadedKernelAsync();

        var alone = (await kernel.RunAsync("var synth = new Synth(); synth")).AssertSucceeded().AllHtml;
        var withServer = (await kernel.RunAsync("var server = SynthServer.Start(synth, port: 0); synth")).AssertSucceeded().AllHtml;
        await using var server = kernel.Value<SynthServer>("server");

        Assert.Contains("No server streams this synth", alone);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(alone, "<table>"));
        Assert.Contains("class=\"synth-notebook-player\"", withServer);
        Assert.Contains(server.WebSocketUrl.ToString(), withServer);
        var card = (await kernel.RunAsync("server")).AllHtml;
        Assert.Contains($"127.0.0.1:{server.Port}", card);
        Assert.Contains("""<span data-field="blocks">0</span>""", card);
    }

    [Fact]
    public async Task ASampleBufferShowsAsItsWaveform()
    {
        using var kernel = await LoadedKernelAsync();

        var html = (await kernel.RunAsync("var block = new Synth().RenderBlocks(1); block")).AssertSucceeded().AllHtml;

        Assert.Contains("class=\"synthnotebook-chart\"", html);
        Assert.Contains(Plot.Waveform(kernel.Value<float[]>("block")).FigureJson.Replace("</", "<\\/", StringComparison.Ordinal), html);
    }

    [Fact]
    public async Task ARenderedSoundShowsAsAWaveformYouCanPlayWithNoServer()
    {
        using var kernel = await LoadedKernelAsync();

        var html = (await kernel.RunAsync("new Synth().Render(0.25)")).AssertSucceeded().AllHtml;

        Assert.Contains("class=\"synth-notebook-sound\"", html);
        Assert.Contains("<audio controls", html);
        Assert.Contains("src=\"data:audio/wav;base64,", html);
        Assert.Contains("class=\"synthnotebook-chart\"", html);
    }

    [Fact]
    public async Task AGenericChartFromTheUsersOwnPlotlyNetShowsAsAChartWhereItsFSharpCoreLoads()
    {
        using var kernel = await LoadedKernelAsync();
        // As in a kernel with a newer FSharp.Core: the user's Plotly.NET loads beside its own FSharp.Core 10.1.
        var userContext = new FolderLoadContext(Path.Combine(BuildConfiguration.OutputOf("SynthNotebook"), PlotlyEngine.FolderName));
        var plotly = userContext.LoadFromAssemblyName(new AssemblyName("Plotly.NET"));
        var chart = plotly.GetType("Plotly.NET.Chart", throwOnError: true)!.GetMethod("Invisible")!.Invoke(null, null)!;

        var html = chart.ToDisplayString(HtmlFormatter.MimeType);

        Assert.Contains("class=\"synthnotebook-chart\"", html);
        Assert.Contains("{\"data\":[", html);
        Assert.Contains("\"layout\":", html);
    }

    [Fact]
    public async Task EveryChartCarriesPlotlyJsWhenAsked()
    {
        using var kernel = await LoadedKernelAsync();
        ChartHtml.EmbedPlotlyJsInEveryChart = true;
        try
        {
            var charts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => kernel.RunAsync("Plot.Waveform(new float[] { 0, 1 })")));
            Assert.All(charts, run => Assert.Contains(PlotlyJsBanner, run.AllHtml));
        }
        finally
        {
            ChartHtml.EmbedPlotlyJsInEveryChart = false;
        }
    }

    private static async Task<RealKernel> LoadedKernelAsync()
    {
        var kernel = await RealKernel.StartAsync();
        (await kernel.RunAsync($"#r \"nuget: SynthNotebook, {PackedPackage.Version}\"\n{Usings}")).AssertSucceeded();
        return kernel;
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
