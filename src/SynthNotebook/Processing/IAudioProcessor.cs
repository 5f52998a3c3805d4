namespace SynthNotebook.Processing;

/// <summary>
/// One stage of processing for one stream: transforms a block in place and keeps its state (filter memory, phases)
/// from block to block. The counterpart of <see cref="Synthesis.ISampleSource"/> for audio that comes in.
/// </summary>
public interface IAudioProcessor
{
    /// <summary>Processes <paramref name="block"/> in place. Must not allocate: it runs once per block on the audio path.</summary>
    void Process(Span<float> block);
}
