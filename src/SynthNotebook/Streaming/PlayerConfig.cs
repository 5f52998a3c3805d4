namespace SynthNotebook.Streaming;

/// <summary>What a player widget is told about its server and how to play: the JSON its script is mounted with.</summary>
internal sealed record PlayerConfig(
    string Url,
    string Token,
    string PageUrl,
    string Mode,
    string DuplexPageUrl,
    PlayerConfig.MicrophoneConstraints Microphone,
    bool MonitorMicrophone,
    PlayerConfig.Component[] Components,
    double Gain,
    PlayerConfig.SliderLimits Limits,
    int BlockSize,
    int MaxPace,
    double TargetLatencyMs,
    double RewoundCushionMs,
    double DuplexLatencyMs,
    int? SampleRate,
    string WorkletSource,
    string WorkerSource)
{
    /// <summary>The browser's processing of the microphone (all off by default: the chain gets the raw signal).</summary>
    internal sealed record MicrophoneConstraints(bool EchoCancellation, bool NoiseSuppression, bool AutoGainControl);

    /// <summary>One sine's slider values.</summary>
    internal sealed record Component(double Frequency, double Amplitude);

    /// <summary>The sliders' ranges: the synth's own Nyquist frequency and the gain limit.</summary>
    internal sealed record SliderLimits(double MaxFrequency, double MaxGain);
}
