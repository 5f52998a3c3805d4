namespace SynthNotebook.Streaming;

/// <summary>
/// When a paced connection's next blocks are due (docs/protocol.md, "Pace"): a group of blocks every group's worth of
/// audio, on the server's clock, from the connection's first block on. A player that asks for it sends no credit per
/// block, so listening costs the server one wake-up and one write per group, not a message each way per block.
/// Timestamps are <see cref="System.Diagnostics.Stopwatch"/> ticks, passed in. Due times fall on one grid of whole
/// groups for every connection of the same block period, so the send clock wakes once for all of them.
/// </summary>
internal sealed class PaceSchedule
{
    /// <summary>The most blocks one wake-up sends: a server that fell further behind than this skips the rest.</summary>
    public const int MaxCatchUp = 16;

    private readonly long _blockTicks;
    private readonly long _groupTicks;
    private long _nextDue = -1;
    private int _withheld;   // blocks the player held back, left out of the next groups

    public PaceSchedule(int group, int blockSize, int sampleRate, long ticksPerSecond)
    {
        Group = group;
        _blockTicks = (long)Math.Round((double)blockSize / sampleRate * ticksPerSecond);
        _groupTicks = _blockTicks * group;
    }

    /// <summary>Blocks per write.</summary>
    public int Group { get; }

    public bool Started => _nextDue >= 0;

    /// <summary>When the next group is due; meaningful once <see cref="Started"/>.</summary>
    public long NextDue => _nextDue;

    /// <summary>
    /// The connection's first block went out at <paramref name="now"/>: the first group is due a group later, at the
    /// next point of the grid.
    /// </summary>
    public void Start(long now)
    {
        if (_nextDue < 0)
        {
            var due = now + _groupTicks;
            _nextDue = (due + _groupTicks - 1) / _groupTicks * _groupTicks;
        }
    }

    /// <summary>
    /// The blocks due at <paramref name="now"/>, taken from the schedule: a whole number of groups, or 0. A server that
    /// was held up sends what it owes at once (the player's cushion ran down meanwhile); past
    /// <see cref="MaxCatchUp"/> blocks it starts afresh from now instead, and the player asks for what it lacks.
    /// </summary>
    public int Take(long now)
    {
        if (_nextDue < 0 || now < _nextDue)
        {
            return 0;
        }
        var groups = 1 + (now - _nextDue) / _groupTicks;
        if (groups * Group > MaxCatchUp)
        {
            groups = 1;
            _nextDue += (now - _nextDue) / _groupTicks * _groupTicks;   // the latest point of the grid, not a new one
        }
        _nextDue += groups * _groupTicks;
        var due = (int)groups * Group;
        var withheld = Math.Min(due, _withheld);
        _withheld -= withheld;
        return due - withheld;
    }

    /// <summary>
    /// The next <paramref name="blocks"/> blocks the clock would send are left out (the player's <c>hold</c>): each
    /// later block comes that many block periods later, and the clock stays on its grid.
    /// </summary>
    public void Hold(int blocks) => _withheld += blocks;
}
