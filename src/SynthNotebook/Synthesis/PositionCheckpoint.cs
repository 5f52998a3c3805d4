namespace SynthNotebook.Synthesis;

/// <summary>The checkpoint of a source whose whole state is the sample it is at.</summary>
internal sealed class PositionCheckpoint(Func<long> read, Action<long> write) : ISourceCheckpoint
{
    private long _position;

    public void Save() => _position = read();

    public void Restore() => write(_position);
}
