using SynthNotebook.Notebook;
using SynthNotebook.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>A rendered sound in Chromium, no SynthServer anywhere: its audio element holds and plays the very samples.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SoundViewTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheAudioElementHoldsTheSamplesExactlyAndPlays()
    {
        var sound = new Synth().Render(0.5, sampleRate: 48_000);
        await using var page = await PlayerPage.OpenAsync(browser.Browser, SoundView.Html(sound));
        var audio = page.Page.Locator(".synth-notebook-sound audio");

        // Decoded by the browser at the sound's own rate (no resampling): the samples, bit for bit.
        var decoded = System.Text.Json.JsonSerializer.Deserialize<Decoded>(await audio.EvaluateAsync<string>("""
            async (audio) => {
              const bytes = await (await fetch(audio.src)).arrayBuffer();
              const context = new OfflineAudioContext(1, Number(audio.dataset.samples), Number(audio.dataset.sampleRate));
              const buffer = await context.decodeAudioData(bytes);
              const samples = buffer.getChannelData(0);
              const raw = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
              let text = '';
              for (let i = 0; i < raw.length; i += 0x8000) text += String.fromCharCode(...raw.subarray(i, i + 0x8000));
              return JSON.stringify({ sampleRate: buffer.sampleRate, length: buffer.length, base64: btoa(text) });
            }
            """), System.Text.Json.JsonSerializerOptions.Web)!;
        var samples = new float[decoded.Length];
        Buffer.BlockCopy(Convert.FromBase64String(decoded.Base64), 0, samples, 0, samples.Length * sizeof(float));

        Assert.Equal(48_000, decoded.SampleRate);
        Assert.Equal(sound.Samples.ToArray(), samples);

        // And the element itself plays it: its clock runs, and it knows how long it is.
        await audio.EvaluateAsync("audio => audio.play()");
        await page.Page.WaitForFunctionAsync("() => document.querySelector('.synth-notebook-sound audio').currentTime > 0.1");
        Assert.Equal(0.5, await audio.EvaluateAsync<double>("audio => audio.duration"), 2);
        Assert.Equal("sound.wav", await page.Page.Locator(".synth-notebook-sound a[download]").GetAttributeAsync("download"));
    }

    private sealed record Decoded(int SampleRate, int Length, string Base64);
}
