using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// What every connection of a server shares: the synth its sliders move, the patch its synth connections play, and the
/// chain its microphones go through. Each connection makes its own instances from them.
/// </summary>
internal sealed class SharedState(Synth synth)
{
    public Synth Synth { get; } = synth;

    public SwapSlot<Patch> Sources { get; } = new(Patch.Of(synth));

    public SwapSlot<AudioChain> Chain { get; } = new(AudioChain.PassThrough);

    /// <summary>
    /// The stream's version (docs/protocol.md): every change a listener should hear counts once, a parameter change or
    /// a swap of the patch, so a block whose version is at least a message's was rendered after that message's change.
    /// </summary>
    public long Version => Synth.Parameters.Version + Sources.Current.Version;
}
