using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// What every connection of a server shares: the synth its sliders move, the patch its synth connections play, the
/// chain its microphones go through, the microphone input they feed, and the count of their changes. Each connection makes its own instances from them.
/// </summary>
internal sealed class SharedState(Synth synth)
{
    public Synth Synth { get; } = synth;

    public SwapSlot<Patch> Sources { get; } = new(Patch.Of(synth));

    public SwapSlot<AudioChain> Chain { get; } = new(AudioChain.PassThrough);

    public LiveInput Microphone { get; } = new("microphone");

    private long _version = synth.Parameters.Version;   // never behind the parameters' own count

    /// <summary>
    /// The stream's version (docs/protocol.md): every change a listener should hear counts once — a parameter change, a
    /// swap of the patch, a note played — counted after the change is in place, so a block rendered after reading
    /// version N has every change up to N in it.
    /// </summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Counts a change that is in place now; returns the version it makes.</summary>
    public long Changed() => Interlocked.Increment(ref _version);
}
