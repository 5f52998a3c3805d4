using SynthNotebook.Tests;
using SynthNotebook.Tests.Studio;
using SynthNotebook.Tests.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// examples/microphone.cs as a user runs it (<c>dotnet run</c>, the package as packed), its studio page in Chromium
/// with the fake microphone (440 Hz and 5 kHz at equal levels): the chain the program set is heard (its 1200 Hz
/// low-pass takes the 5 kHz tone far down), and so is the program opening the filter up later, which its page says.
/// </summary>
[Collection(MicrophoneBrowserCollection.Name)]
public sealed class MicrophoneStudioTests(MicrophoneBrowserFixture browser)
{
    private const int Window = 1 << 15;

    [Fact]
    public async Task TheMicrophoneExamplePlaysTheMicrophoneThroughItsChainAndItsLaterChangesAreHeardAndShown()
    {
        using var app = StudioProcess.Example("microphone", "--port", "0");
        var url = await app.PageAsync();
        await using var page = await PlayerPage.OpenAsync(browser.Browser, url);
        Assert.Equal("Microphone", await page.Page.TitleAsync());

        await page.PlayAsync();
        await page.WaitForAsync(0, "s => s.roundTripMs.length >= 50", timeoutMs: 30_000);
        var sampleRate = (int)(await page.StatsAsync()).SampleRate;
        await page.CaptureMoreAsync(0, (double)Window / sampleRate + 0.05, sampleRate);
        var lowPassed = await LastWindowAsync(page);
        Assert.True(HighOverLowDb(lowPassed, sampleRate) < -15,
            $"through the 1200 Hz low-pass, 5 kHz is only {HighOverLowDb(lowPassed, sampleRate):0.0} dB below 440 Hz");

        // Eight seconds into the first listen the program opens the low-pass to 3000 Hz and says so on the page.
        await page.Page.Locator(".studio-text", new() { HasText = "The low-pass is at 3000 Hz now." }).WaitForAsync(new() { Timeout = 60_000 });
        await page.CaptureMoreAsync(0, (double)Window / sampleRate + 0.1, sampleRate);
        var opened = await LastWindowAsync(page);
        Assert.InRange(HighOverLowDb(opened, sampleRate), -14, -2);

        await page.Page.Locator(".studio-text", new() { HasText = "Swapped the chain" }).WaitForAsync(new() { Timeout = 60_000 });
        app.Signal("TERM");
        await page.WaitForAsync(0, "s => !s.connected && s.serverStopped");
        Assert.Equal(0, await app.ExitCodeAsync());
        Ports.AssertFree(url.Port);
        Assert.DoesNotContain(page.Console, line => line.StartsWith("pageerror", StringComparison.Ordinal));
    }

    private static async Task<float[]> LastWindowAsync(PlayerPage page)
        => await page.CapturedSamplesAsync(0, await page.CapturedFramesAsync() - Window, Window);

    // The microphone's two tones are equally loud: what the chain did to one against the other, in dB.
    private static double HighOverLowDb(float[] played, int sampleRate)
    {
        var magnitudes = Spectrum.Magnitudes(played);
        double At(double hz) => Spectrum.MagnitudeNear(magnitudes, hz, 2.0 * sampleRate / Window, Window, sampleRate);
        return 20 * Math.Log10(At(MicrophoneBrowserFixture.HighHz) / At(MicrophoneBrowserFixture.LowHz));
    }
}
