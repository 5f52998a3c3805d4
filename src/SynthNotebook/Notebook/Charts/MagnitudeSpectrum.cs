using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// The one-sided magnitude spectrum of a buffer under a periodic Hann window (MathNet's FFT), scaled so that a sine of
/// amplitude A centred on a bin reads A there (0 dBFS at full scale); bins run from 0 Hz to the Nyquist frequency.
/// </summary>
public sealed record MagnitudeSpectrum(double[] Frequencies, double[] Amplitudes)
{
    /// <summary>Amplitudes below this read as it in <see cref="Decibels"/>: silence would otherwise be −∞.</summary>
    public const float FloorDecibels = -200;

    /// <summary>The spectrum of all of <paramref name="samples"/> (any length ≥ 2) sampled at <paramref name="sampleRate"/> Hz.</summary>
    public static MagnitudeSpectrum Of(ReadOnlySpan<float> samples, int sampleRate)
    {
        if (samples.Length < 2)
        {
            throw new ArgumentException($"A spectrum needs at least 2 samples; got {samples.Length}.", nameof(samples));
        }
        if (sampleRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be positive (Hz).");
        }
        var n = samples.Length;
        var bins = new Complex[n];
        var windowSum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var window = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n);
            windowSum += window;
            bins[i] = new Complex(samples[i] * window, 0);
        }
        Fourier.Forward(bins, FourierOptions.NoScaling);

        var frequencies = new double[n / 2 + 1];
        var amplitudes = new double[n / 2 + 1];
        for (var k = 0; k < amplitudes.Length; k++)
        {
            frequencies[k] = (double)k * sampleRate / n;
            // One-sided: a sine's energy splits between bins k and n−k; DC and Nyquist have no twin.
            var twins = k == 0 || 2 * k == n ? 1.0 : 2.0;
            amplitudes[k] = twins * bins[k].Magnitude / windowSum;
        }
        return new MagnitudeSpectrum(frequencies, amplitudes);
    }

    /// <summary>The amplitudes in dBFS, 20·log10(A), floored at <see cref="FloorDecibels"/>.</summary>
    public float[] Decibels() =>
        Amplitudes.Select(amplitude => Math.Max(FloorDecibels, (float)(20 * Math.Log10(amplitude)))).ToArray();
}
