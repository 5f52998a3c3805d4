using System.Net.WebSockets;
using System.Text;
using SynthNotebook.Streaming;

namespace SynthNotebook.Tests.Streaming;

public class CloseReasonStreamTests
{
    private static readonly byte[] StatusOnlyClose = [0x88, 0x02, 0x03, 0xEA]; // 1002, no reason

    [Theory]
    [InlineData(WebSocketCloseStatus.ProtocolError)]
    [InlineData(WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData(WebSocketCloseStatus.MessageTooBig)]
    public void EveryReasonFitsInAControlFrame(WebSocketCloseStatus status)
    {
        var reason = CloseReasonStream.ReasonFor(status);

        Assert.NotNull(reason);
        Assert.InRange(Encoding.UTF8.GetByteCount(reason), 1, 123); // 125 less the status
    }

    [Fact]
    public async Task AStatusOnlyCloseGainsItsReason()
    {
        var sent = new MemoryStream();
        await using var stream = new CloseReasonStream(sent);

        await stream.WriteAsync(StatusOnlyClose);

        var frame = sent.ToArray();
        Assert.Equal(0x88, frame[0]);
        Assert.Equal(frame.Length - 2, frame[1]);
        Assert.Equal(StatusOnlyClose[2..], frame[2..4]);
        Assert.Equal(CloseReasonStream.ReasonFor(WebSocketCloseStatus.ProtocolError), Encoding.UTF8.GetString(frame, 4, frame.Length - 4));
    }

    [Fact]
    public async Task BytesThatLookLikeACloseInsideAFramesPayloadPassUntouched()
    {
        var sent = new MemoryStream();
        await using var stream = new CloseReasonStream(sent);
        byte[] binaryHeader = [0x82, 126, 0x01, 0x00]; // a 256-byte binary frame, written in parts

        await stream.WriteAsync(binaryHeader);
        await stream.WriteAsync(StatusOnlyClose);
        await stream.WriteAsync(new byte[252]);
        await stream.WriteAsync(StatusOnlyClose); // now a frame of its own

        var bytes = sent.ToArray();
        Assert.Equal(StatusOnlyClose, bytes[4..8]);
        Assert.Equal(0x88, bytes[260]);
        Assert.True(bytes.Length > 264, "the close after the binary frame gained its reason");
    }

    [Fact]
    public async Task ACloseWithItsOwnReasonOrAnotherStatusIsLeftAlone()
    {
        var sent = new MemoryStream();
        await using var stream = new CloseReasonStream(sent);
        byte[] normalClose = [0x88, 0x02, 0x03, 0xE8]; // 1000
        byte[] withReason = [0x88, 0x04, 0x03, 0xEA, (byte)'n', (byte)'o'];

        await stream.WriteAsync(normalClose);
        await stream.WriteAsync(withReason);

        Assert.Equal([.. normalClose, .. withReason], sent.ToArray());
    }
}
