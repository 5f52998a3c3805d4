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
    public async Task AFlushOrABatchOutgrowingItsRoomSendsWhatIsGatheredFirst()
    {
        var inner = new RecordingStream();
        await using var stream = new GatheringStream(inner);

        stream.Gather();
        await stream.WriteAsync(new byte[] { 1 });
        await stream.FlushAsync();
        await stream.WriteAsync(new byte[GatheringStream.Capacity]);
        await stream.WriteAsync(new byte[] { 2 });
        await stream.SendGatheredAsync(CancellationToken.None);

        Assert.Equal([1, GatheringStream.Capacity, 1], inner.Writes.Select(w => w.Length));
        Assert.Equal(1, inner.Flushes);
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
