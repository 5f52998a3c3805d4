using System.Numerics;
using SynthNotebook.Processing;

namespace SynthNotebook.Tests.Processing;

/// <summary>Test signals, a steady-state amplitude estimate, and the Audio EQ Cookbook's responses computed independently.</summary>
internal static class Signals
{
    /// <summary><paramref name="count"/> samples of a sine at <paramref name="frequency"/> Hz, starting at phase 0.</summary>
    public static float[] Sine(double frequency, int sampleRate, int count, double amplitude = 1.0)
    {
        var samples = new float[count];
        for (var n = 0; n < count; n++)
        {
            samples[n] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate));
        }
        return samples;
    }

    /// <summary>Reproducible noise in [−1, 1).</summary>
    public static float[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        var samples = new float[count];
        for (var n = 0; n < count; n++)
        {
            samples[n] = (float)(random.NextDouble() * 2 - 1);
        }
        return samples;
    }

    /// <summary>
    /// The amplitude of the <paramref name="frequency"/> Hz sinusoid in <paramref name="signal"/>[start..start+length),
    /// by projecting on a sine and a cosine (exact for a steady sinusoid when the window holds whole cycles).
    /// </summary>
    public static double Amplitude(ReadOnlySpan<float> signal, double frequency, int sampleRate, int start, int length)
    {
        double sin = 0, cos = 0;
        for (var n = start; n < start + length; n++)
        {
            var phase = 2 * Math.PI * frequency * n / sampleRate;
            sin += signal[n] * Math.Sin(phase);
            cos += signal[n] * Math.Cos(phase);
        }
        return 2 * Math.Sqrt(sin * sin + cos * cos) / length;
    }

    public static double Decibels(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>|H(e^jω)| of the cookbook's filter of <paramref name="type"/>, from the cookbook's formulas.</summary>
    public static double CookbookMagnitude(FilterType type, double cornerFrequency, double q, double frequency, int sampleRate)
    {
        var w0 = 2 * Math.PI * cornerFrequency / sampleRate;
        var alpha = Math.Sin(w0) / (2 * q);
        var cosW0 = Math.Cos(w0);
        double b0, b1, b2;
        switch (type)
        {
            case FilterType.LowPass:
                (b0, b1, b2) = ((1 - cosW0) / 2, 1 - cosW0, (1 - cosW0) / 2);
                break;
            case FilterType.HighPass:
                (b0, b1, b2) = ((1 + cosW0) / 2, -(1 + cosW0), (1 + cosW0) / 2);
                break;
            default: // band-pass, constant 0 dB peak gain
                (b0, b1, b2) = (alpha, 0, -alpha);
                break;
        }
        var (a0, a1, a2) = (1 + alpha, -2 * cosW0, 1 - alpha);
        var z1 = Complex.FromPolarCoordinates(1, -2 * Math.PI * frequency / sampleRate); // z^-1 on the unit circle
        var z2 = z1 * z1;
        return ((b0 + b1 * z1 + b2 * z2) / (a0 + a1 * z1 + a2 * z2)).Magnitude;
    }

    /// <summary>Runs <paramref name="signal"/> through <paramref name="processor"/> in blocks of <paramref name="blockSize"/>, in place.</summary>
    public static float[] ProcessInBlocks(IAudioProcessor processor, float[] signal, int blockSize)
    {
        for (var offset = 0; offset < signal.Length; offset += blockSize)
        {
            processor.Process(signal.AsSpan(offset, Math.Min(blockSize, signal.Length - offset)));
        }
        return signal;
    }

    /// <summary>The largest |x[n] − x[n−1]| over the whole signal.</summary>
    public static double MaxStep(ReadOnlySpan<float> signal) => MaxStep(signal, 0, signal.Length);

    /// <summary>The largest |x[n] − x[n−1]| for n in [start, end).</summary>
    public static double MaxStep(ReadOnlySpan<float> signal, int start, int end)
    {
        var max = 0.0;
        for (var n = Math.Max(1, start); n < end; n++)
        {
            max = Math.Max(max, Math.Abs((double)signal[n] - signal[n - 1]));
        }
        return max;
    }
}
