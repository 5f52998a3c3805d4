using System.Net.Sockets;
using System.Net.WebSockets;
using SynthNotebook.Synthesis;
using System.Text;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// Frames no WebSocket client library would send: the WebSocket layer refuses them before the session sees them, and
/// the close still says what was wrong.
/// </summary>
public class BadFramingTests
{
    public static TheoryData<string, byte[]> BrokenFrames => new()
    {
        // Client frames must be masked (RFC 6455 §5.1); longer than a masked header, so the layer can tell.
        { "unmasked", [0x81, 0x06, .. "hello!"u8] },
        // RSV1 without a negotiated extension (§5.2).
        { "reserved bit", [0xC1, 0x80, 1, 2, 3, 4] },
        // Opcode 3 is reserved.
        { "reserved opcode", [0x83, 0x80, 1, 2, 3, 4] },
        // Control frames cannot be fragmented (§5.5).
        { "fragmented ping", [0x09, 0x80, 1, 2, 3, 4] },
    };

    [Theory]
    [MemberData(nameof(BrokenFrames))]
    public async Task ABrokenFrameIsClosedAsAProtocolErrorWithAReasonAndOthersCarryOn(string kind, byte[] frame)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var bystander = await StreamClient.OpenAsync(server, 44100, 256);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var stream = tcp.GetStream();
        await UpgradeAsync(stream, server.Port);

        await stream.WriteAsync(frame);
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false });
        using var timeout = new CancellationTokenSource(StreamClient.Timeout);
        var result = await socket.ReceiveAsync(new byte[256], timeout.Token);

        Assert.True(result.MessageType == WebSocketMessageType.Close, $"{kind}: expected a close, got {result.MessageType}");
        Assert.Equal(WebSocketCloseStatus.ProtocolError, result.CloseStatus);
        Assert.Contains("Malformed WebSocket frame", result.CloseStatusDescription);
        await bystander.SendCreditAsync(2);
        Assert.Equal([0UL, 1UL], (await bystander.ReceiveBlocksAsync(2)).Select(b => b.Sequence));
    }

    private static async Task UpgradeAsync(NetworkStream stream, int port)
    {
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var response = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(StreamClient.Timeout);
        while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one, timeout.Token));
            response.Append((char)one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", response.ToString());
    }
}
