using SynthNotebook.Tests;
using SynthNotebook.Tests.Studio;
using SynthNotebook.Tests.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// examples/instrument.cs as a user runs it (<c>dotnet run</c>, the package as packed), its studio page in Chromium:
/// the riff's chart draws, its keyboard shows, the riff it plays at the first listen is heard at its notes' pitches, a
/// letter played on the keyboard is heard at its pitch, the program's later Show appears, and SIGTERM ends it cleanly.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InstrumentStudioTests(BrowserFixture browser)
{
    private const int Window = 1 << 15;

    [Fact]
    public async Task TheInstrumentExamplePlaysItsRiffAndItsKeyboard()
    {
        using var app = StudioProcess.Example("instrument", "--port", "0");
        var url = await app.PageAsync();
        await using var page = await PlayerPage.OpenAsync(browser.Browser, url);
        Assert.Equal("Instrument", await page.Page.TitleAsync());
        await page.WaitForChartsAsync(1);   // the riff's waveform, drawn by the server's own plotly.js
        await page.Page.WaitForFunctionAsync("() => document.querySelector('.synth-notebook-sound audio')?.duration > 1");

        await page.PlayAsync();
        var keyboard = page.Player(0).Locator(".snp-keyboard");
        await keyboard.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Visible });
        await page.Page.Locator(".studio-heading", new() { HasText = "Playing the riff twice" }).WaitForAsync();
        var sampleRate = (int)(await page.StatsAsync()).SampleRate;
        // The riff's first bar and a half (C4 E4 G4 C5 G4 E4+G4 C4, 0.19 s a step): each of its notes is a peak.
        var riffStart = await page.CapturedFramesAsync();
        await page.CaptureMoreAsync(0, 3.2, sampleRate);
        AssertNotePeaks(await page.CapturedSamplesAsync(0, riffStart, 3 * sampleRate), sampleRate, 261.63, 329.63, 392.00, 523.25);

        // The letter H is A4 (the keyboard has the focus once clicked): heard at 440 Hz while held.
        await keyboard.ClickAsync(new() { Position = new() { X = 10, Y = 8 } });
        var heard = (await page.StatsAsync()).ChangesHeard;
        await page.Page.Keyboard.DownAsync("KeyH");
        await page.WaitForAsync(0, $"s => s.changesHeard > {heard}");
        await page.CaptureMoreAsync(0, (double)Window / sampleRate + 0.05, sampleRate);
        var held = await page.CapturedSamplesAsync(0, await page.CapturedFramesAsync() - Window, Window);
        await page.Page.Keyboard.UpAsync("KeyH");
        AssertNotePeaks(held, sampleRate, 440);

        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "instrument-studio.png"), FullPage = true });
        app.Signal("TERM");
        await page.WaitForAsync(0, "s => !s.connected && s.serverStopped");
        Assert.Equal(0, await app.ExitCodeAsync());
        Ports.AssertFree(url.Port);
        Assert.DoesNotContain(page.Console, line => line.StartsWith("pageerror", StringComparison.Ordinal));
    }

    // Each note's fundamental is a local peak of the spectrum within 2 Hz of its pitch, and stands out of the floor.
    private static void AssertNotePeaks(float[] samples, int sampleRate, params double[] pitches)
    {
        var length = 1 << (int)Math.Floor(Math.Log2(samples.Length));
        var magnitudes = Spectrum.Magnitudes(samples.AsSpan(0, length));
        var floor = magnitudes.Order().ElementAt(magnitudes.Length / 2);
        foreach (var pitch in pitches)
        {
            var expected = Spectrum.HzToBin(pitch, length, sampleRate);
            var spread = Math.Max(1, Spectrum.HzToBin(2, length, sampleRate));
            var peak = Spectrum.PeakBin(magnitudes, expected - 3 * spread, expected + 3 * spread);
            Assert.InRange(Spectrum.BinToHz(peak, length, sampleRate), pitch - 2, pitch + 2);
            Assert.True(magnitudes[peak] > 100 * floor, $"{pitch} Hz stands {magnitudes[peak] / floor:0} × over the spectrum's median");
        }
    }
}
