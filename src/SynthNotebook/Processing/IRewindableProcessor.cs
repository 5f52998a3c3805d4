using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// A processor whose state can be kept and gone back to, like an <see cref="IRewindableSource"/>: a source followed by
/// rewindable processors is itself rewindable, so a stream can render its queued audio again after a change.
/// </summary>
public interface IRewindableProcessor : IAudioProcessor
{
    /// <summary>Makes a checkpoint of this processor, empty until saved; made once and reused, so saving allocates nothing.</summary>
    ISourceCheckpoint CreateCheckpoint();
}
