namespace SynthNotebook.Streaming;

/// <summary>How a player widget streams: small blocks and rewinds keep a slider move audible within ~30 ms, whatever the cushion holds.</summary>
public sealed record PlayerOptions
{
    /// <summary>Samples per block the player asks for (two render quanta by default).</summary>
    public int BlockSize { get; init; } = 256;

    /// <summary>
    /// Audio the player keeps queued or requested ahead of the speakers where a change waits behind it (a stream the
    /// server cannot rewind); it grows after an underrun.
    /// </summary>
    public double TargetLatencyMs { get; init; } = 24;

    /// <summary>
    /// The least cushion where the server rewinds (docs/protocol.md, "Rewind"): a change is heard ahead of the queued
    /// audio, about 25 ms after it is made, so the cushion is sized for the machine's stalls (a busy laptop's run to
    /// 100–200 ms) instead of for latency. It starts at this, and what underruns add fades over minutes, not one.
    /// </summary>
    public double RewoundCushionMs { get; init; } = 200;

    /// <summary>
    /// Duplex: the processed audio the player holds before playing it, which (with a block's capture and the trip to the
    /// server and back) makes the microphone's round trip. Audio threads run in ~10 ms bursts at both ends, so less
    /// than ~30 ms underruns; it grows by a block after an underrun.
    /// </summary>
    public double DuplexLatencyMs { get; init; } = 32;

    /// <summary>The AudioContext's sample rate; the audio device's own rate when null (the usual choice).</summary>
    public int? SampleRate { get; init; }

    /// <summary>Synth: play the server's synth. Duplex: send the microphone and play it back through the server's chain.</summary>
    public StreamMode Mode { get; init; } = StreamMode.Synth;

    /// <summary>The browser's echo cancellation on the microphone; off, so the chain gets the raw signal.</summary>
    public bool EchoCancellation { get; init; }

    /// <summary>The browser's noise suppression on the microphone; off by default.</summary>
    public bool NoiseSuppression { get; init; }

    /// <summary>The browser's automatic gain control on the microphone; off by default.</summary>
    public bool AutoGainControl { get; init; }

    /// <summary>
    /// Duplex: whether the page plays the microphone back (its "hear it here" box, ticked by default). Untick it, or set
    /// this false, where the microphone is heard on another player (<see cref="SynthServer.MicrophoneInput"/>), so it is
    /// not heard twice or fed back through the speakers; the server gets every block either way.
    /// </summary>
    public bool MonitorMicrophone { get; init; } = true;
}
