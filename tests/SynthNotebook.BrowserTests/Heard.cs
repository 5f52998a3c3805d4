using System.Globalization;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>What a capture sounds like: its spectrum's peaks where the synth's components are.</summary>
internal static class Heard
{
    /// <summary>Each frequency's peak is within a bin of where it should be.</summary>
    public static void AssertPeaksAt(ReadOnlySpan<float> window, int sampleRate, params double[] frequencies)
    {
        var magnitudes = Spectrum.Magnitudes(window);
        foreach (var frequency in frequencies)
        {
            var expected = Spectrum.HzToBin(frequency, window.Length, sampleRate);
            Assert.InRange(Spectrum.PeakBin(magnitudes, expected - 3, expected + 3), expected - 1, expected + 1);
        }
    }

    /// <summary>
    /// The seed's synth as the notebook and examples/synth.cs set it up (5 sines 200–400 Hz, the first at 220 Hz, the
    /// last at half amplitude), played by player 0 of a page that pressed Play: what it played is that synth, sample
    /// for sample (an underrun's silence cut out), every component at its pitch; then a slider move is heard, the first
    /// component's peak where the slider says.
    /// </summary>
    public static async Task AssertPlaysTheSeedsSynthThenHearsASliderMoveAsync(PlayerPage page)
    {
        var playerBlockSize = new PlayerOptions().BlockSize;   // the player the pages show asks for the default
        var sampleRate = await page.Page.EvaluateAsync<int>("() => window.__synthCaptures[0].context.sampleRate");
        // Played, not captured: an underrun's silence on a busy machine costs the comparison nothing.
        await page.WaitForAsync(0, $"s => s.played >= {(int)(2.2 * sampleRate)}", timeoutMs: 60_000);
        var beforeMove = await page.CapturedFramesAsync();

        var slider = page.Player(0).Locator("input[name=frequency-0]");
        var box = (await slider.BoundingBoxAsync())!;
        var heardBefore = (await page.StatsAsync()).ChangesHeard;
        await page.Page.Mouse.ClickAsync(box.X + box.Width * 0.45f, box.Y + box.Height / 2);   // about 450 Hz: shown to 0.1 Hz
        await page.WaitForAsync(0, $"s => s.changesHeard > {heardBefore}");
        var shown = await page.Player(0).Locator("output").First.TextContentAsync();
        var moved = double.Parse(shown!.Replace(" Hz", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        await page.CaptureWindowAsync(0, 1.5, sampleRate);
        var capture = await page.CaptureAsync();

        var synth = new Synth(componentCount: 5, lowestFrequency: 200, highestFrequency: 400, sampleRate: 44_100, blockSize: 4096);
        synth.SetFrequency(0, 220);
        synth.SetAmplitude(4, 0.5);
        var played = capture.Samples[..beforeMove];
        var reference = PlayedAudio.Reference(synth, capture.SampleRate, playerBlockSize, played.Length);
        var (stream, _, _) = PlayedAudio.AssertPlayed(played, reference, 2 * capture.SampleRate, allowUnderrunGaps: true, $"{await page.StatsAsync()}");
        AssertPeaksAt(stream.AsSpan(0, 1 << 16), capture.SampleRate, 220, 250, 300, 350, 400);
        AssertPeaksAt(capture.Samples.AsSpan(capture.Samples.Length - (1 << 15)), sampleRate, moved, 250, 300);
    }
}
