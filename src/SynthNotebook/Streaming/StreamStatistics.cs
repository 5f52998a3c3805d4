namespace SynthNotebook.Streaming;

/// <summary>Live counters of a server, safe to read from any thread.</summary>
public sealed class StreamStatistics
{
    private int _clients;
    private long _connections;
    private long _blocksSent;
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstListener = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Connections open right now.</summary>
    public int Clients => Volatile.Read(ref _clients);

    /// <summary>Connections accepted since the server started.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Blocks sent to all clients since the server started.</summary>
    public long BlocksSent => Interlocked.Read(ref _blocksSent);

    /// <summary>Completes when the first client connects (a player pressed Play).</summary>
    public Task FirstConnection => _firstConnection.Task;

    /// <summary>
    /// Completes when the first client is streaming: its hello was taken and its own source made, so what the program
    /// does from now on (a note played, a patch set) is in what it hears.
    /// </summary>
    public Task FirstListener => _firstListener.Task;

    internal void Listening() => _firstListener.TrySetResult();

    internal void Connected()
    {
        Interlocked.Increment(ref _clients);
        Interlocked.Increment(ref _connections);
        _firstConnection.TrySetResult();
    }

    internal void Disconnected() => Interlocked.Decrement(ref _clients);

    internal void BlockSent() => Interlocked.Increment(ref _blocksSent);
}
