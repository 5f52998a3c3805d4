namespace SynthNotebook.Synthesis;

/// <summary>
/// A source whose state can be kept and gone back to, so that what it already rendered can be rendered again with
/// newer parameters. A stream uses it to change audio a player has queued but not yet played (docs/protocol.md,
/// "Rewind"): a slider move is then heard after the network's round trip, not after the whole cushion.
/// </summary>
public interface IRewindableSource : ISampleSource
{
    /// <summary>Makes a checkpoint of this source, empty until saved; made once and reused, so saving allocates nothing.</summary>
    ISourceCheckpoint CreateCheckpoint();
}

/// <summary>One saved state of the source (or processor) that made it.</summary>
public interface ISourceCheckpoint
{
    /// <summary>Keeps the source's state now (what it would render next).</summary>
    void Save();

    /// <summary>Puts the source back in the state kept by the last <see cref="Save"/>.</summary>
    void Restore();
}
