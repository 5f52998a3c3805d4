using SynthNotebook.Streaming;

namespace SynthNotebook.Tests.Streaming;

/// <summary>A batch of frames leaves as one write; outside a batch every write leaves as it came.</summary>
public sealed class GatheringStreamTests
{
    [Fact]
    public async Task WritesInABatchLeaveAsOneWriteInOrderAndLaterOnesPassStraightThrough()
    {
        var inner = new RecordingStream();
        await using var stream = new GatheringStream(inner);

        stream.Gather();
        var reused = new byte[] { 1, 2 };
        await stream.WriteAsync(reused);
        reused[0] = 3; reused[1] = 4;   // the WebSocket layer reuses its buffer: what was written must be kept
        await stream.WriteAsync(reused);
        await stream.WriteAsync(new byte[] { 5 });
        Assert.Empty(inner.Writes);
        await stream.SendGatheredAsync(CancellationToken.None);
        await stream.WriteAsync(new byte[] { 6 });

        Assert.Equal([[1, 2, 3, 4, 5], [6]], inner.Writes);
    }

    [Fact]
    public async Task AFlushInsideABatchWaitsForItsEndAndABatchOutgrowingItsRoomSendsWhatIsGatheredFirst()
    {
        var inner = new RecordingStream();
        await using var stream = new GatheringStream(inner);

        stream.Gather();
        await stream.WriteAsync(new byte[] { 1 });
        await stream.FlushAsync();
        Assert.Empty(inner.Writes);
        await stream.WriteAsync(new byte[GatheringStream.Capacity]);
        await stream.WriteAsync(new byte[] { 2 });
        await stream.SendGatheredAsync(CancellationToken.None);
        await stream.FlushAsync();

        Assert.Equal([1, GatheringStream.Capacity, 1], inner.Writes.Select(w => w.Length));
        Assert.Equal(2, inner.Flushes);
    }

    [Fact]
    public async Task FramesTheWebSocketLayerSendsInABatchLeaveAsOneWrite()
    {
        // The layer flushes after every frame; a batch that sent at each flush would gather nothing.
        var inner = new RecordingStream();
        await using var stream = new GatheringStream(inner);
        using var socket = System.Net.WebSockets.WebSocket.CreateFromStream(stream,
            new System.Net.WebSockets.WebSocketCreationOptions { IsServer = true });

        stream.Gather();
        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync(new byte[1024], System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        Assert.Empty(inner.Writes);
        await stream.SendGatheredAsync(CancellationToken.None);

        var frame = 4 + 1024;   // a server's frame: 2 bytes of header and a 16-bit length, no mask
        Assert.Equal([3 * frame], inner.Writes.Select(w => w.Length));
    }

    private sealed class RecordingStream : MemoryStream
    {
        public List<byte[]> Writes { get; } = [];

        public int Flushes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }
    }
}
