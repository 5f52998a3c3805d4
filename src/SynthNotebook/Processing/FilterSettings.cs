using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>The responses of <see cref="FilterSettings"/> (the Audio EQ Cookbook's).</summary>
public enum FilterType
{
    /// <summary>Passes below the corner frequency, −12 dB per octave above.</summary>
    LowPass,

    /// <summary>Passes above the corner frequency, −12 dB per octave below.</summary>
    HighPass,

    /// <summary>Passes around the centre frequency at 0 dB; Q sets the width.</summary>
    BandPass,
}

/// <summary>
/// A filter's settings, shared by every stream's filter made from it: set <see cref="Frequency"/> or <see cref="Q"/>
/// from a cell while audio runs, and each filter glides its coefficients there (≈10 ms), without a click.
/// </summary>
public sealed class FilterSettings
{
    /// <summary>1/√2: the flattest pass band (Butterworth).</summary>
    public const double ButterworthQ = 0.7071067811865476;

    private double _frequency;
    private double _q;

    /// <summary>A filter of <paramref name="type"/> at <paramref name="frequency"/> Hz with quality <paramref name="q"/>.</summary>
    public FilterSettings(FilterType type, double frequency, double q = ButterworthQ)
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "type must be LowPass, HighPass or BandPass.");
        }
        Type = type;
        Frequency = frequency;
        Q = q;
    }

    /// <summary>The response.</summary>
    public FilterType Type { get; }

    /// <summary>Corner or centre frequency in Hz (1–96,000; a stream clamps it below its Nyquist frequency).</summary>
    public double Frequency
    {
        get => Volatile.Read(ref _frequency);
        set => Volatile.Write(ref _frequency, ParameterGuard.InRange(value, 1, 96_000, " Hz", nameof(Frequency)));
    }

    /// <summary>Quality: 0.1–50.</summary>
    public double Q
    {
        get => Volatile.Read(ref _q);
        set => Volatile.Write(ref _q, ParameterGuard.InRange(value, 0.1, 50, "", nameof(Q)));
    }
}
