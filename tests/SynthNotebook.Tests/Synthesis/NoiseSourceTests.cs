using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>Noise is repeatable from its seed, white is flat, pink falls 3 dB an octave, and a rewind renders the same bits.</summary>
public sealed class NoiseSourceTests
{
    private const int Rate = 48_000;
    private const int FftLength = 4_096;

    [Fact]
    public void TheSameSeedRendersTheSameSamplesAndAnotherSeedOthers()
    {
        Assert.Equal(Reference.Read(new NoiseSource(NoiseColor.Pink, Rate, seed: 7), 1000), Reference.Read(new NoiseSource(NoiseColor.Pink, Rate, seed: 7), 1000));
        Assert.NotEqual(Reference.Read(new NoiseSource(NoiseColor.White, Rate, seed: 7), 1000), Reference.Read(new NoiseSource(NoiseColor.White, Rate, seed: 8), 1000));
    }

    [Fact]
    public void WhiteNoiseHasTheSamePowerInEveryBandAndStaysWithinItsAmplitude()
    {
        var samples = Reference.Read(new NoiseSource(NoiseColor.White, Rate, amplitude: 0.5), Rate * 8);
        Assert.InRange(samples.Max(), 0.49, 0.5);
        Assert.InRange(samples.Min(), -0.5, -0.49);
        var low = BandPowerPerHz(samples, 200, 400);
        var high = BandPowerPerHz(samples, 8_000, 16_000);
        Assert.InRange(10 * Math.Log10(high / low), -1, 1);
    }

    [Fact]
    public void PinkNoiseFallsThreeDecibelsAnOctave()
    {
        var samples = Reference.Read(new NoiseSource(NoiseColor.Pink, Rate), Rate * 8);
        // Power per hertz, octave by octave from 100 Hz to 12.8 kHz: each octave 3 dB under the one before.
        for (var low = 100.0; 4 * low <= 12_800; low *= 2)
        {
            var drop = 10 * Math.Log10(BandPowerPerHz(samples, low, 2 * low) / BandPowerPerHz(samples, 2 * low, 4 * low));
            Assert.InRange(drop, 2.0, 4.0);
        }
        Assert.InRange(samples.Max(s => Math.Abs(s)), 0.2, 1.0);   // near white's level
    }

    [Fact]
    public void ARestoredNoiseRendersTheSameBits()
    {
        Reference.AssertRestoredRendersTheSame(new NoiseSource(NoiseColor.Pink, Rate), 500, 333);
    }

    /// <summary>Mean power per FFT bin in [lowHz, highHz), averaged over consecutive frames.</summary>
    private static double BandPowerPerHz(float[] samples, double lowHz, double highHz)
    {
        double total = 0;
        var count = 0;
        for (var start = 0; start + FftLength <= samples.Length; start += FftLength)
        {
            var magnitudes = Spectrum.Magnitudes(samples.AsSpan(start, FftLength));
            for (var bin = Spectrum.HzToBin(lowHz, FftLength, Rate); bin < Spectrum.HzToBin(highHz, FftLength, Rate); bin++)
            {
                total += magnitudes[bin] * magnitudes[bin];
                count++;
            }
        }
        return total / count;
    }
}
