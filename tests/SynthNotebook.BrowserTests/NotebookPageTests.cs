using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests;
using SynthNotebook.Tests.Notebook;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// notebooks/RealTimeSynthesis.ipynb replayed as the C# kernel runs it, its outputs put on one page as a notebook front
/// end shows them, in Chromium with no way off this machine: the charts draw and the player plays the synth exactly.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotebookPageTests(BrowserFixture browser)
{
    private const int PlayerBlockSize = 256;   // PlayerOptions' default

    [Fact]
    public async Task TheNotebooksOutputsDrawTheirChartsOfflineAndThePlayerPlaysTheSynthExactly()
    {
        using var folder = new NotebookFolder();
        var replay = NotebookReplay.Open(Path.Combine(RepositoryFiles.Root, "notebooks", "RealTimeSynthesis.ipynb"));
        // Up to and with the playback cell; the server must still run while the page plays.
        while (replay.Outputs.LastOrDefault()?.Html?.Contains("synth-notebook-player", StringComparison.Ordinal) != true)
        {
            await replay.RunNextAsync();
        }
        var synth = replay.Variable<Synth>("synth");
        var outputs = replay.Outputs.Where(o => o.Html is not null).Select(o => $"<div class=\"cell-output\">{o.Html}</div>");

        await using var page = await PlayerPage.OpenAsync(browser.Browser, [.. outputs]);

        // The glued blocks and the spectrum: plotly drew both (SVG), with plotly.js from the first chart's output.
        await page.Page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.synthnotebook-chart')].every(c => c.querySelector('svg.main-svg .scatterlayer .trace'))",
            null, new() { Timeout = 20_000, PollingInterval = 50 });
        var drawn = await page.Page.EvaluateAsync<int[]>(
            "() => [...document.querySelectorAll('.synthnotebook-chart')].map(c => c.querySelectorAll('.scatterlayer .trace').length)");
        Assert.Equal([2, 1], drawn);
        var gluedPoints = await page.Page.EvaluateAsync<int>(
            "() => document.querySelector('.synthnotebook-chart').data.reduce((n, trace) => n + trace.y.length, 0)");
        Assert.Equal(2 * synth.BlockSize, gluedPoints);
        Assert.Empty(page.OffMachineRequests);

        // The player: Play, then what it played is the synth's stream, sample for sample (an underrun's silence, if the machine is busy, cut out).
        await page.PlayAsync();
        await page.CaptureWindowAsync(0, 2.2, await page.Page.EvaluateAsync<int>("() => window.__synthCaptures[0].context.sampleRate"));
        var capture = await page.CaptureAsync();
        var reference = PlayedAudio.Reference(synth, capture.SampleRate, PlayerBlockSize, capture.Samples.Length);
        PlayedAudio.AssertPlayed(capture.Samples, reference, 2 * capture.SampleRate, allowUnderrunGaps: true, $"{await page.StatsAsync()}");
        Assert.DoesNotContain(page.Console, line => line.StartsWith("pageerror", StringComparison.Ordinal));

        // The rest of the notebook: the WAV export, then Stop, which the playing page sees.
        await replay.RunAllAsync();
        Assert.False(replay.Variable<SynthServer>("server").IsRunning);
        await page.WaitForAsync(0, "s => !s.connected");
    }
}
