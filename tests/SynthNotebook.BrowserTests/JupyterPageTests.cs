using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests;
using SynthNotebook.Tests.Synthesis;
using SynthNotebook.Tests.Notebook.Jupyter;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// notebooks/RealTimeSynthesis.ipynb in the classic Jupyter page with the real .NET kernel, in Chromium, as a user runs
/// it: every cell, every chart drawn, Play in the notebook's own player, a slider move heard, the stop cell.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JupyterPageTests(BrowserFixture browser)
{
    private const string Notebook = "RealTimeSynthesis.ipynb";
    private static readonly float CellLimitMs = 300_000;

    [Fact]
    public async Task TheNotebookRunsInAJupyterPageItsChartsDrawItsPlayerPlaysTheSynthAndTheStopCellIsSeen()
    {
        var folder = JupyterSetup.NotebookFolder(Path.Combine(RepositoryFiles.Root, "notebooks", Notebook));
        using var jupyter = await JupyterServer.StartAsync(folder);
        await using var page = await OpenNotebookAsync(jupyter);

        // Run All but the stop cell, as a user would before pressing Play.
        var cells = await page.Page.EvaluateAsync<int>("() => Jupyter.notebook.ncells()");
        await page.Page.EvaluateAsync($"() => Jupyter.notebook.execute_cell_range(0, {cells - 1})");
        await WaitForCellsAsync(page, 0, cells - 1, jupyter);
        Assert.Empty(await ErrorOutputsAsync(page));

        // Every chart draws (plotly's SVG), with the plotly.js the #r cell's banner brought; nothing leaves the machine.
        await page.WaitForChartsAsync(3);
        var gluedPoints = await page.Page.EvaluateAsync<int>(
            "() => document.querySelector('.synthnotebook-chart').data.reduce((n, trace) => n + trace.y.length, 0)");
        Assert.Equal(8192, gluedPoints);
        // The one request that would leave loopback is the kernel tool's own: its page script probes the kernel's HTTP
        // API (--http-port-range) at the machine's other addresses. SynthNotebook's outputs ask nothing of the network.
        Assert.All(page.OffMachineRequests, url => Assert.Matches(@"^http://[^/]+:(2\d{3}|3000)/discovery$", url));
        // The rendered sound plays in the page with no server: its audio element knows its 2 s and its clock runs.
        var sound = page.Page.Locator(".synth-notebook-sound audio");
        await sound.EvaluateAsync("audio => audio.play()");
        await page.Page.WaitForFunctionAsync("() => document.querySelector('.synth-notebook-sound audio').currentTime > 0.1");
        Assert.Equal(2.0, await sound.EvaluateAsync<double>("audio => audio.duration"), 2);
        await sound.EvaluateAsync("audio => audio.pause()");

        // Play in the notebook's own player: the notebook's synth, sample for sample, then a slider move, heard.
        await page.PlayAsync();
        await Heard.AssertPlaysTheSeedsSynthThenHearsASliderMoveAsync(page);

        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "jupyter-page.png"), FullPage = true });

        // The stop cell: the port is free and the player says the server stopped (not a connection error).
        var port = new Uri(await page.Player(0).EvaluateAsync<string>("root => root.synthPlayer.config.url")).Port;
        await page.Page.EvaluateAsync($"() => Jupyter.notebook.execute_cells([{cells - 1}])");
        await WaitForCellsAsync(page, cells - 1, cells, jupyter);
        await page.WaitForAsync(0, "s => !s.connected && s.serverStopped && s.status.startsWith('the server stopped')");
        Ports.AssertFree(port);
        Assert.Empty(await ErrorOutputsAsync(page));
        Assert.DoesNotContain(page.Console, line => line.StartsWith("pageerror", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChartsDrawOnEveryPageOfTheNotebookReopenedReloadedAndWithTheBannerGone()
    {
        var folder = JupyterSetup.NotebookFolder(Path.Combine(RepositoryFiles.Root, "notebooks", Notebook));
        using var jupyter = await JupyterServer.StartAsync(folder);
        await using var first = await OpenNotebookAsync(jupyter);
        var glued = await CellIndexAsync(first, "Plot.GluedBlocks(synth)");
        await first.Page.EvaluateAsync($"() => Jupyter.notebook.execute_cell_range(0, {glued + 1})");
        await WaitForCellsAsync(first, 0, glued + 1, jupyter);
        await first.WaitForChartsAsync(1);
        // The chart cell run again: its new output is the page's only chart (plotly.js must not depend on which
        // chart output came first).
        await first.Page.EvaluateAsync($"() => Jupyter.notebook.execute_cells([{glued}])");
        await WaitForCellsAsync(first, glued, glued + 1, jupyter);
        await first.WaitForChartsAsync(1);
        await SaveAsync(first);

        // A second window on the running kernel (as a reload or a reopened tab): the saved banner brings plotly.js, so
        // the saved chart draws, and so does the chart cell run again from this page.
        await using var second = await OpenNotebookAsync(jupyter);
        await second.WaitForChartsAsync(1);
        await second.Page.EvaluateAsync($"() => Jupyter.notebook.execute_cells([{glued}])");
        await WaitForCellsAsync(second, glued, glued + 1, jupyter);
        await second.WaitForChartsAsync(1);

        // The #r cell's output cleared (or that cell run again: a second #r shows no banner) and saved: a page opened
        // now has no plotly.js of its own; its charts fetch it from the kernel.
        await second.Page.EvaluateAsync($"() => Jupyter.notebook.get_cell({await CellIndexAsync(second, "#r \"nuget: SynthNotebook")}).clear_output()");
        await SaveAsync(second);
        await using var third = await OpenNotebookAsync(jupyter);
        Assert.Equal(0, await third.Page.EvaluateAsync<int>("() => document.querySelectorAll('.synthnotebook-banner').length"));
        await third.WaitForChartsAsync(1);
        Assert.Empty(await ErrorOutputsAsync(third));
    }

    /// <summary>
    /// notebooks/MakeYourOwnSound.ipynb in the same page: every cell runs, and the instrument's player in the notebook
    /// plays a key pressed on its keyboard at that key's pitch, on the instrument the last cell gave the server.
    /// </summary>
    [Fact]
    public async Task TheOwnSoundNotebookRunsInAJupyterPageAndItsKeyboardPlaysTheInstrument()
    {
        const string OwnSound = "MakeYourOwnSound.ipynb";
        var folder = JupyterSetup.NotebookFolder(Path.Combine(RepositoryFiles.Root, "notebooks", OwnSound));
        using var jupyter = await JupyterServer.StartAsync(folder);
        await using var page = await OpenNotebookAsync(jupyter, OwnSound);
        var cells = await page.Page.EvaluateAsync<int>("() => Jupyter.notebook.ncells()");
        await page.Page.EvaluateAsync($"() => Jupyter.notebook.execute_cell_range(0, {cells - 1})");
        await WaitForCellsAsync(page, 0, cells - 1, jupyter);
        Assert.Empty(await ErrorOutputsAsync(page));

        // The players of the page: the synth's (first), the square keys', the bells'. The bells play now.
        await page.PlayAsync(2);
        var keyboard = page.Player(2).Locator(".snp-keyboard");
        await keyboard.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await page.WaitForAsync(2, "s => s.status.endsWith('playing bells')");
        var heard = (await page.StatsAsync(2)).ChangesHeard;
        await keyboard.Locator("[data-note='57']").ClickAsync(new() { Delay = 700 });   // A3, held 0.7 s
        await page.WaitForAsync(2, $"s => s.changesHeard > {heard}");
        var played = await page.CaptureAsync();
        var sampleRate = played.SampleRate;
        // The last of the held key: the bell's fundamental is the loudest partial (its third is 0.3 of it).
        var window = played.Samples.AsSpan(Math.Max(0, played.Samples.Length - 16_384), 16_384);
        var magnitudes = Spectrum.Magnitudes(window);
        Assert.Equal(220, Spectrum.BinToHz(Spectrum.PeakBin(magnitudes, Spectrum.HzToBin(100, 16_384, sampleRate)), 16_384, sampleRate), 3.0);
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "jupyter-own-sound.png"), FullPage = true });
        Assert.DoesNotContain(page.Console, line => line.StartsWith("pageerror", StringComparison.Ordinal));
    }

    private async Task<PlayerPage> OpenNotebookAsync(JupyterServer jupyter, string notebook = Notebook)
    {
        var page = await PlayerPage.OpenAsync(browser.Browser, jupyter.NotebookPage(notebook));
        await page.Page.WaitForFunctionAsync("() => window.Jupyter?.notebook?.kernel?.is_connected()", null,
            new() { Timeout = 120_000, PollingInterval = 100 });
        return page;
    }

    private static Task<int> CellIndexAsync(PlayerPage page, string code) => page.Page.EvaluateAsync<int>(
        "code => Jupyter.notebook.get_cells().findIndex(c => c.get_text().includes(code))", code);

    private static async Task SaveAsync(PlayerPage page) =>
        await page.Page.EvaluateAsync("() => new Promise(done => { Jupyter.notebook.events.one('notebook_saved.Notebook', () => done()); Jupyter.notebook.save_notebook(); })");

    // Done when every code cell in [from, to) has its execution count (a running one shows '*').
    private static async Task WaitForCellsAsync(PlayerPage page, int from, int to, JupyterServer jupyter)
    {
        try
        {
            await page.Page.WaitForFunctionAsync(
                $"() => Jupyter.notebook.get_cells().slice({from}, {to}).every(c => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number')",
                null, new() { Timeout = CellLimitMs, PollingInterval = 200 });
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The cells did not finish. Errors: {string.Join(" | ", await ErrorOutputsAsync(page))}\nJupyter: {jupyter.Log}", ex);
        }
    }

    private static async Task<string[]> ErrorOutputsAsync(PlayerPage page) => await page.Page.EvaluateAsync<string[]>(
        "() => Jupyter.notebook.get_cells().flatMap(c => (c.output_area?.outputs ?? []).filter(o => o.output_type === 'error').map(o => `${o.ename}: ${o.evalue}`))");
}
