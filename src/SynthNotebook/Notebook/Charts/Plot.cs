using SynthNotebook.Synthesis;

namespace SynthNotebook.Notebook.Charts;

/// <summary>The charts a notebook about a synth reaches for: a waveform, the seed's two glued blocks, a spectrum.</summary>
public static class Plot
{
    /// <summary>Buffers longer than this are drawn as a min/max envelope, so a long render stays a light chart.</summary>
    public const int MaxWaveformPoints = 16_384;

    /// <summary>
    /// The waveform of <paramref name="samples"/>: against time in ms with a <paramref name="sampleRate"/>, else
    /// against the sample index.
    /// </summary>
    public static SignalChart Waveform(float[] samples, int? sampleRate = null, string title = "Waveform")
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (sampleRate is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be positive (Hz).");
        }
        var xScale = sampleRate is { } rate ? 1000.0 / rate : 1.0;
        var xTitle = sampleRate is null ? "sample" : "time (ms)";
        if (samples.Length <= MaxWaveformPoints)
        {
            return new SignalChart(title, xTitle, "amplitude", [new ChartSeries("samples", Positions(samples.Length, 0, xScale), samples)]);
        }
        var envelope = WaveformEnvelope.Of(samples, MaxWaveformPoints / 2);
        return new SignalChart(
            $"{title} (min/max of {envelope.BucketSize}-sample buckets)", xTitle, "amplitude",
            [new ChartSeries("min/max", envelope.Positions.Select(p => p * xScale).ToArray(), envelope.Values)]);
    }

    /// <summary>
    /// The seed's plot: two consecutive blocks of a fresh voice of <paramref name="synth"/>, side by side, so the seam at
    /// sample <see cref="Synth.BlockSize"/> shows the phase carried over.
    /// </summary>
    public static SignalChart GluedBlocks(Synth synth)
    {
        ArgumentNullException.ThrowIfNull(synth);
        var glued = synth.GlueTwoBlocks();
        return GluedBlocks(glued[..synth.BlockSize], glued[synth.BlockSize..]);
    }

    /// <summary>Two blocks side by side: the second starts at the sample after the first one's last.</summary>
    public static SignalChart GluedBlocks(float[] first, float[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return new SignalChart(
            $"Two glued blocks ({first.Length} + {second.Length} samples)", "sample", "amplitude",
            [
                new ChartSeries("block 1", Positions(first.Length, 0, 1), first),
                new ChartSeries("block 2", Positions(second.Length, first.Length, 1), second),
            ]);
    }

    /// <summary>The magnitude spectrum of <paramref name="samples"/> in dBFS (a full-scale sine reads 0 dB), log frequency axis.</summary>
    public static SignalChart Spectrum(float[] samples, int sampleRate, string title = "Spectrum")
    {
        ArgumentNullException.ThrowIfNull(samples);
        var spectrum = MagnitudeSpectrum.Of(samples, sampleRate);
        // Bin 0 (DC) has no place on a logarithmic frequency axis.
        return new SignalChart(title, "frequency (Hz)", "magnitude (dBFS)",
            [new ChartSeries("magnitude", spectrum.Frequencies[1..], spectrum.Decibels()[1..])], logarithmicX: true);
    }

    /// <summary>The spectrum of one block of a fresh voice of <paramref name="synth"/>.</summary>
    public static SignalChart Spectrum(Synth synth)
    {
        ArgumentNullException.ThrowIfNull(synth);
        return Spectrum(synth.RenderBlocks(1), synth.SampleRate, $"Spectrum of one block ({synth.BlockSize} samples)");
    }

    private static double[] Positions(int count, int start, double scale)
    {
        var positions = new double[count];
        for (var i = 0; i < count; i++)
        {
            positions[i] = (start + i) * scale;
        }
        return positions;
    }
}
