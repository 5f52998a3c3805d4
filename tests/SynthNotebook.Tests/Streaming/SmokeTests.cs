using System.Net.WebSockets;
using System.Text;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

public class SmokeTests
{
    [Fact]
    public async Task HelloWelcomeAndBlocks()
    {
        var synth = new Synth();
        await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = 0 });
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/"), default);
        await ws.SendAsync(Encoding.UTF8.GetBytes($"{{\"op\":\"hello\",\"token\":\"{server.Token}\",\"sampleRate\":44100}}"), WebSocketMessageType.Text, true, default);
        var buffer = new byte[70000];
        var r = await ws.ReceiveAsync(buffer, default);
        var welcome = Encoding.UTF8.GetString(buffer, 0, r.Count);
        Assert.Contains("welcome", welcome);
        await ws.SendAsync("{\"op\":\"credit\",\"blocks\":3}"u8.ToArray(), WebSocketMessageType.Text, true, default);
        var expected = synth.RenderBlocks(3);
        for (var b = 0; b < 3; b++)
        {
            var total = 0;
            WebSocketReceiveResult res;
            do { res = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, total, buffer.Length - total), default); total += res.Count; } while (!res.EndOfMessage);
            Assert.Equal(16 + 4096 * 4, total);
            Assert.Equal(b, BitConverter.ToInt64(buffer, 0));
            for (var i = 0; i < 4096; i++) Assert.Equal(expected[b * 4096 + i], BitConverter.ToSingle(buffer, 16 + 4 * i));
        }
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "", default);
    }
}
