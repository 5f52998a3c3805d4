using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// A listener whose sample rate is too low for a component must not hear it folded back: at 8 kHz a 15 kHz
/// component would alias to 1 kHz (15000 − 2·8000 = −1000), so it is muted instead.
/// </summary>
public class AliasingTests
{
    private const int FftLength = 16_384;

    [Fact]
    public void ComponentAboveTheListenersNyquistIsMutedNotAliased()
    {
        var synth = new Synth([440.0, 15_000.0]);

        // At the synth's own 44.1 kHz both components are there (so the test below can tell the difference).
        var full = Spectrum.Magnitudes(Reference.Read(synth.CreateVoice(), FftLength));
        Assert.True(Spectrum.MagnitudeNear(full, 15_000, 5, FftLength, 44_100) > 0.4);
        Assert.True(Spectrum.MagnitudeNear(full, 440, 5, FftLength, 44_100) > 0.4);

        var voice = synth.CreateVoice(8_000);
        var samples = Reference.Read(voice, FftLength);
        var magnitudes = Spectrum.Magnitudes(samples);

        Assert.True(Spectrum.MagnitudeNear(magnitudes, 440, 5, FftLength, 8_000) > 0.4, "440 Hz should be audible");
        Assert.True(Spectrum.MagnitudeNear(magnitudes, 1_000, 20, FftLength, 8_000) < 1e-4, "no 1 kHz alias of 15 kHz");
        Assert.Equal(new[] { 440.0 }, Spectrum.PeakFrequencies(magnitudes, 0.05, FftLength, 8_000).Select(f => Math.Round(f)));

        // Exactly the remaining component, still normalised by the synth's N = 2.
        var expected = Reference.SumOfSines([440.0, 0.0], [1.0, 0.0], 1.0, 8_000, 0, FftLength);
        Assert.InRange(Reference.MaxAbsDiff(samples, expected), 0, 1e-6);
    }

    [Fact]
    public void AnAliasWouldHaveBeenVisible()
    {
        // The same signal rendered naively at 8 kHz (what the voice must not do) has a strong 1 kHz peak.
        var naive = new float[FftLength];
        for (var n = 0; n < naive.Length; n++)
        {
            naive[n] = (float)((Math.Sin(2 * Math.PI * 440 * n / 8000) + Math.Sin(2 * Math.PI * 15_000 * n / 8000)) / 2);
        }
        var magnitudes = Spectrum.Magnitudes(naive);
        Assert.True(Spectrum.MagnitudeNear(magnitudes, 1_000, 20, FftLength, 8_000) > 0.4);
    }

    [Fact]
    public void ComponentGlidingAboveTheListenersNyquistFadesOut()
    {
        var synth = new Synth([440.0, 3_000.0]);
        var voice = synth.CreateVoice(8_000);
        var before = Spectrum.Magnitudes(Reference.Read(voice, FftLength));
        Assert.True(Spectrum.MagnitudeNear(before, 3_000, 5, FftLength, 8_000) > 0.4);

        synth.SetFrequency(1, 5_000); // would alias to 3 kHz at 8 kHz
        var glide = Reference.Read(voice, 1_000);
        Assert.All(glide, s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1));

        var after = Spectrum.Magnitudes(Reference.Read(voice, FftLength));
        Assert.True(Spectrum.MagnitudeNear(after, 3_000, 20, FftLength, 8_000) < 1e-4, "no 3 kHz alias of 5 kHz");
        Assert.True(Spectrum.MagnitudeNear(after, 440, 5, FftLength, 8_000) > 0.4);

        // Back below the listener's Nyquist frequency it is heard again.
        synth.SetFrequency(1, 2_000);
        Reference.Read(voice, 1_000);
        var back = Spectrum.Magnitudes(Reference.Read(voice, FftLength));
        Assert.True(Spectrum.MagnitudeNear(back, 2_000, 5, FftLength, 8_000) > 0.4);
    }

    [Fact]
    public void SameSynthServesListenersAtDifferentRates()
    {
        var synth = new Synth([440.0, 6_000.0, 15_000.0]);
        foreach (var (rate, audible) in new[] { (8_000, new[] { 440.0 }), (16_000, new[] { 440.0, 6_000 }), (44_100, new[] { 440.0, 6_000, 15_000 }) })
        {
            var magnitudes = Spectrum.Magnitudes(Reference.Read(synth.CreateVoice(rate), FftLength));
            var peaks = Spectrum.PeakFrequencies(magnitudes, 0.05, FftLength, rate);
            Assert.Equal(audible.Length, peaks.Length);
            for (var k = 0; k < audible.Length; k++)
            {
                Assert.InRange(peaks[k], audible[k] - (double)rate / FftLength, audible[k] + (double)rate / FftLength);
            }
        }
    }
}
