using SynthNotebook.Notebook.Charts;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// Spectral helpers shared by the test folders: the library's Hann-windowed magnitude spectrum (MathNet's FFT, never a
/// hand-written one), peak finding and bin/frequency conversion.
/// </summary>
/// <remarks>
/// Magnitudes are scaled by 2/Σw, so a sine of amplitude A whose frequency falls on a bin centre reads as A
/// (between two bins, the Hann scalloping loss makes it read as low as ~0.85·A).
/// The spectrum has <c>length / 2 + 1</c> bins, from 0 Hz up to the Nyquist frequency.
/// </remarks>
internal static class Spectrum
{
    /// <summary>Magnitude spectrum of <paramref name="samples"/> with a Hann window, one value per bin 0..length/2.</summary>
    public static double[] Magnitudes(ReadOnlySpan<float> samples) => MagnitudeSpectrum.Of(samples, sampleRate: 1).Amplitudes;

    /// <summary>Frequency in Hz at the centre of <paramref name="bin"/> of a <paramref name="fftLength"/>-point FFT.</summary>
    public static double BinToHz(int bin, int fftLength, int sampleRate) => (double)bin * sampleRate / fftLength;

    /// <summary>The bin whose centre is nearest <paramref name="hz"/>.</summary>
    public static int HzToBin(double hz, int fftLength, int sampleRate) => (int)Math.Round(hz * fftLength / sampleRate);

    /// <summary>Index of the largest magnitude in [<paramref name="firstBin"/>, <paramref name="lastBin"/>] (inclusive; -1 = last bin).</summary>
    public static int PeakBin(ReadOnlySpan<double> magnitudes, int firstBin = 0, int lastBin = -1)
    {
        if (lastBin < 0)
        {
            lastBin = magnitudes.Length - 1;
        }
        firstBin = Math.Max(firstBin, 0);
        lastBin = Math.Min(lastBin, magnitudes.Length - 1);
        if (firstBin > lastBin)
        {
            throw new ArgumentException($"Empty bin range [{firstBin}, {lastBin}].");
        }
        var best = firstBin;
        for (var k = firstBin + 1; k <= lastBin; k++)
        {
            if (magnitudes[k] > magnitudes[best])
            {
                best = k;
            }
        }
        return best;
    }

    /// <summary>Largest magnitude in [<paramref name="firstBin"/>, <paramref name="lastBin"/>] (inclusive, clamped to the spectrum).</summary>
    public static double MaxMagnitude(ReadOnlySpan<double> magnitudes, int firstBin, int lastBin)
        => magnitudes[PeakBin(magnitudes, firstBin, lastBin)];

    /// <summary>Largest magnitude within ±<paramref name="toleranceHz"/> of <paramref name="hz"/>.</summary>
    public static double MagnitudeNear(ReadOnlySpan<double> magnitudes, double hz, double toleranceHz, int fftLength, int sampleRate)
        => MaxMagnitude(magnitudes, HzToBin(hz - toleranceHz, fftLength, sampleRate), HzToBin(hz + toleranceHz, fftLength, sampleRate));

    /// <summary>
    /// Bins that are local maxima (greater than the left neighbour, at least the right one) and above
    /// <paramref name="threshold"/>, in increasing bin order.
    /// </summary>
    public static int[] LocalPeaks(ReadOnlySpan<double> magnitudes, double threshold)
    {
        var peaks = new List<int>();
        for (var k = 0; k < magnitudes.Length; k++)
        {
            var left = k > 0 ? magnitudes[k - 1] : double.NegativeInfinity;
            var right = k < magnitudes.Length - 1 ? magnitudes[k + 1] : double.NegativeInfinity;
            if (magnitudes[k] > threshold && magnitudes[k] > left && magnitudes[k] >= right)
            {
                peaks.Add(k);
            }
        }
        return [.. peaks];
    }

    /// <summary>Frequencies in Hz of <see cref="LocalPeaks"/>.</summary>
    public static double[] PeakFrequencies(ReadOnlySpan<double> magnitudes, double threshold, int fftLength, int sampleRate)
        => [.. LocalPeaks(magnitudes, threshold).Select(bin => BinToHz(bin, fftLength, sampleRate))];
}
