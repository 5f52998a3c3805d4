using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace SynthNotebook.Processing;

/// <summary>
/// A signal's value between its samples, for converting it from one rate to another: a Kaiser-windowed sinc of
/// <see cref="Taps"/> samples whose cutoff lies below the lower rate's Nyquist frequency, so that what would alias is
/// taken down by about 75 dB (β = 7.5), for conversions down to a quarter of the rate (beyond that the band is narrower
/// than the taps can make a transition: stable, but not alias-free). Its impulse response is tabled at <see cref="Phases"/> offsets between two
/// samples, interpolated linearly between them; each row sums to 1, so a constant passes unchanged.
/// </summary>
internal sealed class WindowedSinc
{
    /// <summary>Samples each value is made of: <see cref="Taps"/>/2 at or before its position, the rest after it.</summary>
    public const int Taps = 48;

    private const int Phases = 512;
    private const double Beta = 7.5;
    private const double TransitionWidth = 0.102;   // of the input rate, for 48 taps at β = 7.5 (Kaiser's formula)
    private const int MostKept = 64;                // rate pairs whose tables (98 KB each) are kept

    private static readonly ConcurrentDictionary<(int, int), WindowedSinc> ByRates = new();

    private readonly float[] _table = new float[(Phases + 1) * Taps];

    private WindowedSinc(double cutoff)
    {
        Cutoff = cutoff;
        for (var phase = 0; phase <= Phases; phase++)
        {
            var row = _table.AsSpan(phase * Taps, Taps);
            var sum = 0.0;
            for (var k = 0; k < Taps; k++)
            {
                // The distance from tap k's sample to the position (phase / Phases past sample Taps/2 − 1).
                var t = (double)phase / Phases + Taps / 2 - 1 - k;
                var x = t / (Taps / 2);
                var window = Math.Abs(x) >= 1 ? 0 : BesselI0(Beta * Math.Sqrt(1 - x * x)) / BesselI0(Beta);
                var value = 2 * cutoff * Sinc(2 * cutoff * t) * window;
                row[k] = (float)value;
                sum += value;
            }
            for (var k = 0; k < Taps; k++)
            {
                row[k] = (float)(row[k] / sum);
            }
        }
    }

    /// <summary>The cutoff in cycles per input sample (0.5 is the input's Nyquist frequency).</summary>
    public double Cutoff { get; }

    /// <summary>
    /// The interpolator for converting <paramref name="inputRate"/> to <paramref name="outputRate"/>, made once per pair
    /// (for the first <see cref="MostKept"/> pairs: clients choose their rates, and must not grow the server without end).
    /// </summary>
    public static WindowedSinc For(int inputRate, int outputRate)
        => ByRates.TryGetValue((inputRate, outputRate), out var kept) ? kept
            : ByRates.Count < MostKept ? ByRates.GetOrAdd((inputRate, outputRate), static rates => Make(rates.Item1, rates.Item2))
            : Make(inputRate, outputRate);

    // Below a quarter of the input rate the 48 taps' transition is wider than the band: the cutoff then stays at 0.3 of
    // the ratio (some of what would alias gets through, docs/protocol.md), never at or below 0, where the rows would
    // sum to nothing.
    private static WindowedSinc Make(int inputRate, int outputRate)
    {
        var ratio = Math.Min(1.0, (double)outputRate / inputRate);
        return new(Math.Max(0.5 * ratio - TransitionWidth / 2, 0.3 * ratio));
    }

    /// <summary>
    /// The signal at <paramref name="fraction"/> (0 ≤ f &lt; 1) past sample <see cref="Taps"/>/2 − 1 of
    /// <paramref name="window"/>, which holds <see cref="Taps"/> consecutive samples.
    /// </summary>
    public float At(ReadOnlySpan<float> window, double fraction)
    {
        var scaled = fraction * Phases;
        var phase = Math.Min((int)scaled, Phases - 1);
        var weight = (float)(scaled - phase);
        var below = Dot(window, _table.AsSpan(phase * Taps, Taps));
        var above = Dot(window, _table.AsSpan((phase + 1) * Taps, Taps));
        return below + (above - below) * weight;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a[..Taps]);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..Taps]);
        var sum = Vector<float>.Zero;
        for (var i = 0; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }
        var total = Vector.Sum(sum);
        for (var i = va.Length * Vector<float>.Count; i < Taps; i++)
        {
            total += a[i] * b[i];
        }
        return total;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // The modified Bessel function of the first kind, order 0, by its series (converges fast for the β used here).
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, quarter = x * x / 4;
        for (var k = 1; k < 64 && term > 1e-12 * sum; k++)
        {
            term *= quarter / (k * k);
            sum += term;
        }
        return sum;
    }
}
