using SynthNotebook.Tests;
using SynthNotebook.Tests.Studio;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// examples/synth.cs as a user without a notebook runs it (<c>dotnet run</c>, the package as packed), its studio page
/// in Chromium: the charts draw from the server's own plotly.js, Play plays the seed's synth at its pitch, a slider move
/// is heard, what the program shows after the first listener appears, and SIGTERM ends it cleanly.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StudioPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheSeedsWorkflowFromOneDotnetRunDrawsPlaysIsSteeredAndGrowsAsTheProgramRuns()
    {
        using var app = StudioProcess.Example("synth", "--port", "0");
        var url = await app.PageAsync();
        await using var page = await PlayerPage.OpenAsync(browser.Browser, url);

        // Before anyone listens: the title, the player, the glued blocks drawn (two blocks of 4096), the server's card.
        Assert.Equal("Real-time synthesis", await page.Page.TitleAsync());
        await page.WaitForChartsAsync(1);
        Assert.Equal(8192, await page.Page.EvaluateAsync<int>(
            "() => document.querySelector('.synthnotebook-chart').data.reduce((n, trace) => n + trace.y.length, 0)"));
        await page.Page.Locator(".synth-notebook-server").WaitForAsync();
        Assert.Equal(1, await page.Page.Locator(".synth-notebook-player").CountAsync());

        // Play: the program's later Show calls appear (a heading, the spectrum, two seconds rendered as a sound).
        await page.PlayAsync();
        await page.Page.Locator(".studio-heading", new() { HasText = "Now playing" }).WaitForAsync();
        await page.WaitForChartsAsync(3);
        await page.Page.WaitForFunctionAsync("() => document.querySelector('.synth-notebook-sound audio')?.duration === 2");

        // What it played is the example's synth, sample for sample: every component at its pitch; a slider move, heard.
        await Heard.AssertPlaysTheSeedsSynthThenHearsASliderMoveAsync(page);

        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "studio-page.png"), FullPage = true });
        Assert.Empty(page.OffMachineRequests);
        Assert.DoesNotContain(page.Console, line => line.Contains("Content Security Policy", StringComparison.Ordinal)
                                                   || line.StartsWith("pageerror", StringComparison.Ordinal));

        // Ctrl+C's signal: the player hears that the server stopped, the page that its program is gone.
        app.Signal("TERM");
        await page.WaitForAsync(0, "s => !s.connected && s.serverStopped");
        await page.Page.Locator("#studio-state", new() { HasText = "not running" }).WaitForAsync();
        Assert.Equal(0, await app.ExitCodeAsync());
        Ports.AssertFree(url.Port);
    }
}
