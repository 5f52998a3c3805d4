using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Instruments;

/// <summary>
/// The built-in voice's recipe (<see cref="SubtractiveVoice"/>): an oscillator, an envelope, a low-pass filter. Change
/// what you like with <c>with</c>: <c>VoiceSettings.Default with { Waveform = Waveform.Square, Cutoff = 1200 }</c>.
/// </summary>
public sealed record VoiceSettings
{
    /// <summary>A saw through a low-pass at 2.4 kHz, 5 ms attack, 120 ms decay to 0.7, 250 ms release.</summary>
    public static VoiceSettings Default { get; } = new();

    /// <summary>The oscillator's shape (band-limited).</summary>
    public Waveform Waveform { get; init; } = Waveform.Saw;

    /// <summary>The square's pulse width, in [0.01, 0.99].</summary>
    public double PulseWidth { get; init; } = 0.5;

    /// <summary>The envelope's rise to full level.</summary>
    public TimeSpan Attack { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The fall from full to the sustain level.</summary>
    public TimeSpan Decay { get; init; } = TimeSpan.FromMilliseconds(120);

    /// <summary>The level held while the key is down, in [0, 1].</summary>
    public double Sustain { get; init; } = 0.7;

    /// <summary>The fall to silence after the key is let go.</summary>
    public TimeSpan Release { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The low-pass filter's cutoff in Hz (kept below the listener's Nyquist frequency).</summary>
    public double Cutoff { get; init; } = 2_400;

    /// <summary>The filter's Q: 0.707 is flat; higher rings at the cutoff.</summary>
    public double Resonance { get; init; } = FilterSettings.ButterworthQ;
}
