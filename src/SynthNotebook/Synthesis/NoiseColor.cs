namespace SynthNotebook.Synthesis;

/// <summary>How a <see cref="NoiseSource"/>'s power spreads over frequency.</summary>
public enum NoiseColor
{
    /// <summary>The same power in every hertz.</summary>
    White,

    /// <summary>The same power in every octave (−3 dB an octave): rain, wind, a natural hiss.</summary>
    Pink,
}
