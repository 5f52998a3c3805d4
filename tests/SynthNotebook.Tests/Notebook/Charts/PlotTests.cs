using SynthNotebook.Notebook.Charts;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Notebook.Charts;

public sealed class PlotTests
{
    [Fact]
    public void GluedBlocksHoldTwoConsecutiveBlocksExactlyInOrder()
    {
        var synth = new Synth();
        synth.SetFrequency(2, 333.3);

        var figure = Figure.Parse(Plot.GluedBlocks(synth).FigureJson);

        var expected = synth.RenderBlocks(2);
        Assert.Equal(2, figure.Traces.Count);
        Assert.Equal(["block 1", "block 2"], figure.Traces.Select(t => t.Name));
        Assert.Equal(expected, figure.Traces.SelectMany(t => t.Y));
        Assert.Equal(Enumerable.Range(0, 8192).Select(i => (double)i), figure.Traces.SelectMany(t => t.X));
    }

    [Fact]
    public void AWaveformWithASampleRateRunsAgainstMilliseconds()
    {
        var samples = new Synth().RenderBlocks(1, sampleRate: 48_000);

        var trace = Figure.Parse(Plot.Waveform(samples, 48_000).FigureJson).Traces.Single();

        Assert.Equal(samples, trace.Y);
        Assert.Equal(4095 / 48.0, trace.X[^1], 12);
        Assert.Contains("time (ms)", Plot.Waveform(samples, 48_000).FigureJson);
    }

    [Fact]
    public void ALongBufferIsDrawnAsAnEnvelopeThatKeepsItsPeaks()
    {
        var samples = new float[100_000];
        samples[77_777] = 0.9f;
        samples[12_345] = -0.7f;

        var chart = Plot.Waveform(samples);
        var trace = Figure.Parse(chart.FigureJson).Traces.Single();

        Assert.True(trace.Y.Length <= Plot.MaxWaveformPoints, $"{trace.Y.Length} points");
        Assert.Equal(0.9f, trace.Y.Max());
        Assert.Equal(-0.7f, trace.Y.Min());
        Assert.Equal(77_777, trace.X[Array.IndexOf(trace.Y, 0.9f)]);
        Assert.Contains("min/max of 13-sample buckets", chart.Title);
    }

    [Fact]
    public void TheSpectrumReadsASinesAmplitudeInDecibelsAtItsFrequency()
    {
        const int rate = 48_000;
        var samples = Enumerable.Range(0, 4800).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / rate))).ToArray();

        var spectrum = MagnitudeSpectrum.Of(samples, rate);
        var decibels = spectrum.Decibels();
        var peak = Array.IndexOf(decibels, decibels.Max());

        Assert.Equal(1000, spectrum.Frequencies[peak], 9);
        Assert.Equal(20 * Math.Log10(0.5), decibels[peak], 2);
        Assert.True(decibels[peak + 5] < -100, $"leakage 5 bins away: {decibels[peak + 5]} dB");
    }

    [Fact]
    public void TheSynthsSpectrumPeaksAtItsComponentsOnALogAxis()
    {
        var synth = new Synth(frequencies: [220.5, 441], sampleRate: 44_100);

        var chart = Plot.Spectrum(synth);
        var trace = Figure.Parse(chart.FigureJson).Traces.Single();

        Assert.True(chart.LogarithmicX);
        Assert.Contains("\"type\":\"log\"", chart.FigureJson);
        var binWidth = 44_100.0 / 4096;
        var peaks = Enumerable.Range(1, trace.Y.Length - 2)
            .Where(i => trace.Y[i] > trace.Y[i - 1] && trace.Y[i] >= trace.Y[i + 1])
            .OrderByDescending(i => trace.Y[i]).Take(2).Select(i => trace.X[i]).Order().ToArray();
        Assert.InRange(peaks[0], 220.5 - binWidth, 220.5 + binWidth);
        Assert.InRange(peaks[1], 441 - binWidth, 441 + binWidth);
    }

    [Fact]
    public void BadInputSaysWhatIsWrong()
    {
        var mismatch = Assert.Throws<ArgumentException>(() => new SignalChart("t", "x", "y", [new ChartSeries("s", [1, 2], [1f])]));
        Assert.Contains("2 x values but 1 y values", mismatch.Message);
        Assert.Contains("at least one series", Assert.Throws<ArgumentException>(() => new SignalChart("t", "x", "y", [])).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentOutOfRangeException>(() => Plot.Waveform([1f], 0)).Message);
        Assert.Contains("at least 2 samples", Assert.Throws<ArgumentException>(() => Plot.Spectrum([1f], 48_000)).Message);
    }
}
