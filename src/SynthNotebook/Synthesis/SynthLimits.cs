namespace SynthNotebook.Synthesis;

/// <summary>The ranges every parameter is checked against, in one place so errors and docs agree.</summary>
public static class SynthLimits
{
    /// <summary>Lowest sample rate accepted (WebAudio's minimum AudioContext rate).</summary>
    public const int MinSampleRate = 3_000;

    /// <summary>Highest sample rate accepted (WebAudio's maximum AudioContext rate).</summary>
    public const int MaxSampleRate = 768_000;

    /// <summary>Smallest block a listener may ask for.</summary>
    public const int MinBlockSize = 16;

    /// <summary>Largest block a listener may ask for.</summary>
    public const int MaxBlockSize = 65_536;

    /// <summary>Most sine components one synth may hold.</summary>
    public const int MaxComponents = 4_096;

    /// <summary>Largest per-component amplitude: with the 1/N scaling the sum then stays within ±1.</summary>
    public const double MaxAmplitude = 1.0;

    /// <summary>Largest master gain (+12 dB).</summary>
    public const double MaxGain = 4.0;

    /// <summary>Longest parameter glide.</summary>
    public static readonly TimeSpan MaxRamp = TimeSpan.FromSeconds(10);
}
