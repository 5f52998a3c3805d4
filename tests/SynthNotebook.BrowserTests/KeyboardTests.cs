using SynthNotebook.Instruments;
using SynthNotebook.Processing;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>The player's keyboard in a real Chromium: notes from its keys and letters, played by the server's instrument.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests(BrowserFixture browser)
{
    private const int SampleRate = 48_000;
    private const int Window = 16_384;

    [Fact]
    public async Task AnOnScreenKeyAndALetterAreHeardAtTheirPitchAndWebMidiSaysWhatItFound()
    {
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        server.Source = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Sine, Release = TimeSpan.FromMilliseconds(30) },
            gain: 1, name: "sine keys");
        await using var page = await PlayerPage.OpenAsync(browser.Browser, PlayerWidget.Html(server, new PlayerOptions { SampleRate = SampleRate }));
        await page.PlayAsync();
        var keyboard = page.Player(0).Locator(".snp-keyboard");
        await keyboard.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Visible });
        await page.WaitForAsync(0, "s => s.status.endsWith('playing sine keys')");
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "keyboard-player.png"), FullPage = true });

        // A4 with the mouse, held while the recorder takes a window of it.
        var heard = (await page.StatsAsync()).ChangesHeard;
        var a4 = (await keyboard.Locator("[data-note='69']").BoundingBoxAsync())!;
        await page.Page.Mouse.MoveAsync(a4.X + a4.Width / 2, a4.Y + a4.Height - 8);
        await page.Page.Mouse.DownAsync();
        await page.WaitForAsync(0, $"s => s.changesHeard > {heard}");
        await page.CaptureMoreAsync(0, 0.6, SampleRate);
        var a4End = await page.CapturedFramesAsync();
        await page.Page.Mouse.UpAsync();
        Assert.Equal("snp-key snp-white", await keyboard.Locator("[data-note='69']").GetAttributeAsync("class"));

        // B4 with the letter J (the keyboard has the focus from the click).
        heard = (await page.StatsAsync()).ChangesHeard;
        await page.Page.Keyboard.DownAsync("KeyJ");
        await page.WaitForAsync(0, $"s => s.changesHeard > {heard}");
        Assert.Contains("snp-down", await keyboard.Locator("[data-note='71']").GetAttributeAsync("class"));
        await page.CaptureMoreAsync(0, 0.6, SampleRate);
        var capture = await page.CaptureAsync();
        await page.Page.Keyboard.UpAsync("KeyJ");

        Heard.AssertPeaksAt(capture.Samples.AsSpan(a4End - Window, Window), SampleRate, 440);
        Heard.AssertPeaksAt(capture.Samples.AsSpan(capture.Samples.Length - Window, Window), SampleRate, 493.883);
        var stats = await page.StatsAsync();
        Assert.True(stats.LatenciesMs.Length >= 2, "each key's way to the ear was measured, as a slider's is");

        // Web MIDI: headless Chromium has no device; whatever it allows, the line says so instead of hanging.
        await keyboard.Locator("button[data-action=midi]").ClickAsync();
        var midi = keyboard.Locator(".snp-midi");
        await page.Page.WaitForFunctionAsync("el => el.textContent.startsWith('MIDI:') && !el.textContent.includes('asking')",
            await midi.ElementHandleAsync(), new() { Timeout = 10_000 });
        Assert.Matches("^MIDI: (allowed, no input connected|not allowed here|this page has no Web MIDI)", await midi.TextContentAsync());
    }

    [Fact]
    public async Task TheKeyboardShowsWhileAnInstrumentPlaysAndTheSlidersWhileTheSynthDoes()
    {
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        await using var page = await PlayerPage.OpenAsync(browser.Browser, PlayerWidget.Html(server, new PlayerOptions { SampleRate = SampleRate }));
        await page.PlayAsync();
        var keyboard = page.Player(0).Locator(".snp-keyboard");
        Assert.False(await keyboard.IsVisibleAsync());

        var slider = page.Player(0).Locator("input[name=frequency-0]");
        Assert.True(await slider.IsVisibleAsync());

        // An instrument: its keyboard, and no sliders (they move a synth that is not heard).
        server.Source = new Instrument();
        await keyboard.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Visible });
        await slider.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });
        // The synth through a filter: its sliders are heard again, no keys.
        server.Source = Patch.Of(server.Synth).Through(AudioChain.PassThrough.LowPass(2_000));
        await keyboard.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });
        await slider.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Visible });
        server.Source = server.Synth;
        await page.WaitForAsync(0, "s => s.status.endsWith('playing synth (5 sines)')");
    }
}
