using System.Buffers;

namespace SynthNotebook.Streaming;

/// <summary>
/// Lets a session send a batch of WebSocket frames in one write to the socket. Between <see cref="Gather"/> and
/// <see cref="SendGatheredAsync"/> the frames written are copied aside (the WebSocket layer reuses its buffer), then
/// written at once: one send and one wake-up of the client instead of one per block. Outside a batch every write passes
/// straight through. The WebSocket layer's own writes (pings, closes) may come from another thread, so writes are
/// serialized here. A flush inside a batch waits for the batch's end (the WebSocket layer flushes after every frame).
/// </summary>
internal sealed class GatheringStream(Stream inner) : DuplexStreamWrapper(inner)
{
    /// <summary>The most a batch holds (a batch that would outgrow it is sent as it stands first).</summary>
    public const int Capacity = 64 * 1024;

    private readonly SemaphoreSlim _writing = new(1, 1);
    private byte[]? _gathered;
    private int _count;
    private bool _gathering;

    /// <summary>From now on, writes are gathered until <see cref="SendGatheredAsync"/>.</summary>
    public void Gather() => _gathering = true;

    /// <summary>Writes what was gathered, as one write, and lets later writes through again.</summary>
    public async ValueTask SendGatheredAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            _gathering = false;
            await WriteGatheredAsync(cancellationToken);
            await Inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            if (_gathering && buffer.Length <= Capacity)
            {
                _gathered ??= ArrayPool<byte>.Shared.Rent(Capacity);
                if (_count + buffer.Length > Capacity)
                {
                    await WriteGatheredAsync(cancellationToken);
                }
                buffer.Span.CopyTo(_gathered.AsSpan(_count));
                _count += buffer.Length;
                return;
            }
            await WriteGatheredAsync(cancellationToken);
            await Inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async ValueTask WriteGatheredAsync(CancellationToken cancellationToken)
    {
        if (_count == 0)
        {
            return;
        }
        var count = _count;
        _count = 0;
        await Inner.WriteAsync(_gathered.AsMemory(0, count), cancellationToken);
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            // The WebSocket layer flushes after every frame: inside a batch that is not yet the time to send.
            if (_gathering)
            {
                return;
            }
            await WriteGatheredAsync(cancellationToken);
            await Inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnBuffer();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        ReturnBuffer();
    }

    private void ReturnBuffer()
    {
        if (Interlocked.Exchange(ref _gathered, null) is { } gathered)
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }
}
