using SynthNotebook.Synthesis;
using Xunit.Abstractions;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// Each waveform plays its pitch, keeps its aliases low (measured at 5 kHz, 48 kHz: the strongest partial that is not a
/// harmonic, against the fundamental), renders the same bits after a rewind, and refuses what it cannot play.
/// </summary>
public sealed class BandLimitedOscillatorTests(ITestOutputHelper output)
{
    private const int Rate = 48_000;
    private const int FftLength = 16_384;

    [Theory]
    [InlineData(Waveform.Sine)]
    [InlineData(Waveform.Saw)]
    [InlineData(Waveform.Square)]
    [InlineData(Waveform.Triangle)]
    public void EachWaveformPlaysItsPitch(Waveform waveform)
    {
        var magnitudes = Spectrum.Magnitudes(Reference.Read(new BandLimitedOscillator(waveform, 440, Rate), FftLength));
        var peak = Spectrum.BinToHz(Spectrum.PeakBin(magnitudes, 1), FftLength, Rate);
        Assert.InRange(peak, 440 - 3, 440 + 3);
    }

    // Measured (the test's output prints it): saw and square −22.3 dB, the 5th harmonic folded to 23 kHz, and −36.0 dB
    // below 16 kHz (naive: −13.8 and −16.6); triangle −36.2 and −52.8 (naive: −27.7 and −33.2). The bounds sit 2–3 dB
    // above, so a change that lets aliases through fails.
    [Theory]
    [InlineData(Waveform.Saw, 0.5, -20, -33)]
    [InlineData(Waveform.Square, 0.5, -20, -33)]
    [InlineData(Waveform.Square, 0.25, -20, -33)]
    [InlineData(Waveform.Triangle, 0.5, -34, -50)]
    public void TheStrongestAliasOfA5KilohertzToneIsFarBelowItsFundamental(Waveform waveform, double pulseWidth,
        double boundDb, double audibleBoundDb)
    {
        var samples = Reference.Read(new BandLimitedOscillator(waveform, 5_000, Rate, pulseWidth: pulseWidth), FftLength);
        var alias = AliasLevelDb(samples, 5_000);
        var naive = AliasLevelDb(Naive(waveform, pulseWidth, 5_000), 5_000);
        var audible = AliasLevelDb(samples, 5_000, 16_000);
        var naiveAudible = AliasLevelDb(Naive(waveform, pulseWidth, 5_000), 5_000, 16_000);
        output.WriteLine($"{waveform} (width {pulseWidth}) at 5 kHz, 48 kHz: strongest alias {alias:0.0} dB (naive {naive:0.0} dB); below 16 kHz {audible:0.0} dB (naive {naiveAudible:0.0} dB)");
        Assert.True(alias < boundDb, $"strongest alias {alias:0.0} dB, bound {boundDb} dB");
        Assert.True(audible < audibleBoundDb, $"strongest alias below 16 kHz {audible:0.0} dB, bound {audibleBoundDb} dB");
        Assert.True(audible < naiveAudible - 15, $"band-limited {audible:0.0} dB should be well under naive {naiveAudible:0.0} dB");
    }

    [Theory]
    [InlineData(Waveform.Saw)]
    [InlineData(Waveform.Square)]
    [InlineData(Waveform.Triangle)]
    public void AWaveformSpansItsAmplitudeWithoutOvershootingMuch(Waveform waveform)
    {
        var samples = Reference.Read(new BandLimitedOscillator(waveform, 220, Rate, amplitude: 0.5), Rate);
        Assert.InRange(samples.Max(), 0.45, 0.55);
        Assert.InRange(samples.Min(), -0.55, -0.45);
        Assert.InRange(samples.Average(s => (double)s), -0.005, 0.005);
    }

    [Fact]
    public void ARestoredOscillatorRendersTheSameBitsAndAChangeMadeSinceIsTakenUp()
    {
        var oscillator = new BandLimitedOscillator(Waveform.Saw, 330, Rate);
        var (first, checkpoint) = Reference.AssertRestoredRendersTheSame(oscillator, 1000, 777);

        checkpoint.Restore();
        oscillator.Frequency = 660;
        var changed = Reference.Read(oscillator, 777);
        Assert.NotEqual(first, changed);
        Assert.Equal(first[0], changed[0]);   // the same phase to start from
    }

    [Fact]
    public void ValuesItCannotPlayAreRefusedWithTheirRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BandLimitedOscillator(Waveform.Saw, 24_000, Rate));
        Assert.Contains("below the Nyquist frequency", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BandLimitedOscillator(Waveform.Saw, double.NaN, Rate));
        Assert.Contains("PulseWidth", Assert.Throws<ArgumentOutOfRangeException>(
            () => new BandLimitedOscillator(Waveform.Square, 100, Rate, pulseWidth: 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BandLimitedOscillator((Waveform)9, 100, Rate));
    }

    /// <summary>The strongest partial more than 8 bins from every harmonic (and above 50 Hz), in dB against the fundamental.</summary>
    internal static double AliasLevelDb(float[] samples, double fundamental, double belowHz = Rate / 2.0)
    {
        var magnitudes = Spectrum.Magnitudes(samples);
        var reference = Spectrum.MagnitudeNear(magnitudes, fundamental, 10, FftLength, Rate);
        var strongest = 0.0;
        for (var bin = Spectrum.HzToBin(50, FftLength, Rate); bin < Math.Min(magnitudes.Length, Spectrum.HzToBin(belowHz, FftLength, Rate)); bin++)
        {
            var hz = Spectrum.BinToHz(bin, FftLength, Rate);
            var nearest = Math.Round(hz / fundamental) * fundamental;
            if (nearest > 0 && Math.Abs(hz - nearest) <= 8.0 * Rate / FftLength)
            {
                continue;
            }
            strongest = Math.Max(strongest, magnitudes[bin]);
        }
        return 20 * Math.Log10(strongest / reference);
    }

    private static float[] Naive(Waveform waveform, double pulseWidth, double frequency)
    {
        var samples = new float[FftLength];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = i * frequency / Rate % 1.0;
            samples[i] = (float)(waveform switch
            {
                Waveform.Saw => 2 * t - 1,
                Waveform.Square => t < pulseWidth ? 1 : -1,
                _ => t < 0.5 ? 4 * t - 1 : 3 - 4 * t,
            });
        }
        return samples;
    }
}
