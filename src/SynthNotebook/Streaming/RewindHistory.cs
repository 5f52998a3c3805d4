using SynthNotebook.Processing;

namespace SynthNotebook.Streaming;

/// <summary>
/// A connection's way back (docs/protocol.md, "Rewind"): the source's state at the start of each of the last
/// <see cref="Blocks"/> blocks sent, so that blocks a player holds unplayed can be rendered again with the
/// parameters of now. Preallocated: keeping a block's state copies it into the checkpoint made for its slot (a swapped
/// in source gets its checkpoints as it is first kept). A block that a source without checkpoints rendered cannot be
/// gone back to; a rewind starts at the first one after it that can.
/// </summary>
internal sealed class RewindHistory
{
    private readonly PatchSwitch.Checkpoint[] _checkpoints;
    private long _oldest;   // the oldest block whose start is kept
    private long _next;     // the block the voice renders next

    public RewindHistory(PatchSwitch source, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        _checkpoints = new PatchSwitch.Checkpoint[blocks];
        for (var i = 0; i < blocks; i++)
        {
            _checkpoints[i] = (PatchSwitch.Checkpoint)source.CreateCheckpoint();
        }
    }

    /// <summary>How many blocks back a rewind can reach.</summary>
    public int Blocks => _checkpoints.Length;

    /// <summary>How far back a connection can go: more than the thickest cushion a player keeps (400 ms).</summary>
    public static readonly TimeSpan Reach = TimeSpan.FromMilliseconds(500);

    private const int MostBlocks = 1024;   // tiny blocks at a high rate: the reach is cut short, not the memory unbounded

    /// <summary>A history reaching <see cref="Reach"/> back at this block size and rate.</summary>
    public static RewindHistory For(PatchSwitch source, int blockSize, int sampleRate)
        => new(source, (int)Math.Clamp(Math.Ceiling(Reach.TotalSeconds * sampleRate / blockSize), 1, MostBlocks));

    /// <summary>Keeps the source's state before it renders block <paramref name="sequence"/> (the next in order).</summary>
    public void Keep(long sequence)
    {
        _checkpoints[sequence % _checkpoints.Length].Save();
        _next = sequence + 1;
        _oldest = Math.Max(_oldest, _next - _checkpoints.Length);
    }

    /// <summary>
    /// Puts the source back to the start of block <paramref name="from"/>, or of the oldest block kept if that is older
    /// (or of the first after it whose state could be kept), and returns which. A block not sent yet is no rewind: the
    /// source stays, and the next block is returned.
    /// </summary>
    public long RewindTo(long from)
    {
        for (var to = Math.Max(from, _oldest); to < _next; to++)
        {
            var checkpoint = _checkpoints[to % _checkpoints.Length];
            if (checkpoint.CanRestore)
            {
                checkpoint.Restore();
                _next = to;
                return to;
            }
        }
        return _next;
    }
}
