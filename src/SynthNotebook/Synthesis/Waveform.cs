namespace SynthNotebook.Synthesis;

/// <summary>The shape of a <see cref="BandLimitedOscillator"/>'s cycle.</summary>
public enum Waveform
{
    /// <summary>A pure tone.</summary>
    Sine,

    /// <summary>A ramp up and a drop: every harmonic, falling as 1/k.</summary>
    Saw,

    /// <summary>High for the pulse width of each cycle, low for the rest (0.5: odd harmonics only).</summary>
    Square,

    /// <summary>Straight up and down: odd harmonics, falling as 1/k².</summary>
    Triangle,
}
