using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>The spectrum of a voice has its peaks where the components are, at any listener sample rate.</summary>
public class FrequencyTests
{
    private const int FftLength = 65_536;
    private static readonly double[] DefaultFrequencies = [200, 250, 300, 350, 400];

    /// <summary>Each default component reads ≈ 1/N = 0.2 (≥ 0.16 after Hann scalloping); leakage is far below this.</summary>
    private const double PeakThreshold = 0.05;

    private static void AssertPeaksAt(double[] magnitudes, IReadOnlyList<double> frequencies, int sampleRate)
    {
        var peaks = Spectrum.LocalPeaks(magnitudes, PeakThreshold);
        Assert.Equal(frequencies.Count, peaks.Length);
        for (var k = 0; k < frequencies.Count; k++)
        {
            var exactBin = frequencies[k] * FftLength / sampleRate;
            Assert.InRange(peaks[k], exactBin - 1, exactBin + 1);
            Assert.InRange(Spectrum.BinToHz(peaks[k], FftLength, sampleRate),
                frequencies[k] - (double)sampleRate / FftLength, frequencies[k] + (double)sampleRate / FftLength);
        }
    }

    [Theory]
    [InlineData(44_100)]
    [InlineData(48_000)]
    public void PeaksAtTheFiveDefaultComponents(int voiceRate)
    {
        var synth = new Synth();
        var samples = Reference.Read(synth.CreateVoice(voiceRate), FftLength);
        var magnitudes = Spectrum.Magnitudes(samples);

        Assert.Equal(FftLength / 2 + 1, magnitudes.Length);
        AssertPeaksAt(magnitudes, DefaultFrequencies, voiceRate);

        var strongest = Spectrum.PeakBin(magnitudes);
        Assert.Contains(strongest, Spectrum.LocalPeaks(magnitudes, PeakThreshold));
        Assert.InRange(magnitudes[strongest], 0.16, 0.21);
    }

    [Theory]
    [InlineData(44_100)]
    [InlineData(48_000)]
    public void PeakMovesAfterSetFrequency(int voiceRate)
    {
        var synth = new Synth();
        var voice = synth.CreateVoice(voiceRate);
        var before = Spectrum.Magnitudes(Reference.Read(voice, FftLength));

        synth.SetFrequency(0, 1000);
        Reference.Read(voice, 2048); // past the 10 ms glide
        var after = Spectrum.Magnitudes(Reference.Read(voice, FftLength));

        AssertPeaksAt(after, [250, 300, 350, 400, 1000], voiceRate);
        Assert.True(Spectrum.MagnitudeNear(before, 200, 2, FftLength, voiceRate) > 0.15);
        Assert.True(Spectrum.MagnitudeNear(after, 200, 2, FftLength, voiceRate) < 0.01, "200 Hz should be gone");
        Assert.True(Spectrum.MagnitudeNear(before, 1000, 2, FftLength, voiceRate) < 0.01);
        Assert.True(Spectrum.MagnitudeNear(after, 1000, 2, FftLength, voiceRate) > 0.15, "1000 Hz should be there");
    }

    [Fact]
    public void AmplitudeAndGainScaleThePeaks()
    {
        var synth = new Synth();
        synth.SetAmplitude(1, 0.5);
        synth.SetAmplitude(3, 0);
        synth.Gain = 2;
        var magnitudes = Spectrum.Magnitudes(Reference.Read(synth.CreateVoice(), FftLength));
        const int Rate = Synth.DefaultSampleRate;

        // gain·a/N: 0.4 for amplitude 1, 0.2 for 0.5, nothing for 0 (Hann scalloping can cost up to 15 %).
        Assert.InRange(Spectrum.MagnitudeNear(magnitudes, 200, 2, FftLength, Rate), 0.33, 0.41);
        Assert.InRange(Spectrum.MagnitudeNear(magnitudes, 250, 2, FftLength, Rate), 0.16, 0.21);
        Assert.InRange(Spectrum.MagnitudeNear(magnitudes, 350, 2, FftLength, Rate), 0, 0.01);
        Assert.Equal(4, Spectrum.LocalPeaks(magnitudes, PeakThreshold).Length);
    }

    [Fact]
    public void SpectrumHelperFindsAKnownSine()
    {
        // A check of the helper itself on a synthetic signal: amplitude 0.7 exactly on bin 1000.
        const int Length = 8192;
        const int Rate = 8192;
        var samples = new float[Length];
        for (var n = 0; n < Length; n++)
        {
            samples[n] = (float)(0.7 * Math.Sin(2 * Math.PI * 1000 * n / Length) + 0.1);
        }
        var magnitudes = Spectrum.Magnitudes(samples);
        Assert.Equal(1000, Spectrum.PeakBin(magnitudes, 10));
        Assert.Equal(0.7, magnitudes[1000], 1e-4);
        Assert.Equal(0.1, magnitudes[0], 1e-4);
        Assert.Equal(new[] { 0, 1000 }, Spectrum.LocalPeaks(magnitudes, 0.05));
        Assert.Equal(1000.0, Spectrum.BinToHz(1000, Length, Rate));
        Assert.Equal(1000, Spectrum.HzToBin(1000.2, Length, Rate));
        Assert.Equal(new[] { 0.0, 1000.0 }, Spectrum.PeakFrequencies(magnitudes, 0.05, Length, Rate));
    }
}
