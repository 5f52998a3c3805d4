using System.Diagnostics;
using System.Net.WebSockets;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>Limits a trusted localhost server still sets: how many connections, and how fast one may take audio.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task AConnectionOverTheCapIsRefusedSayingWhyAndTheOthersCarryOn()
    {
        await using var server = await StreamTest.StartAsync(new Synth(), o => o.MaxConnections = 2);
        await using var first = await StreamClient.OpenAsync(server);
        await using var second = await StreamClient.OpenAsync(server);

        using var third = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(StreamClient.Url(server.Port), CancellationToken.None));
        using var http = new HttpClient();
        var page = await http.GetAsync($"http://127.0.0.1:{server.Port}/?token={server.Token.Value}");

        Assert.Contains("503", refused.Message);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode); // the page itself is not a connection
        await first.SendCreditAsync(1);
        Assert.Equal(0UL, (await first.ReceiveBlockAsync()).Sequence);
    }

    [Fact]
    public async Task AClientGrantingWithoutEndIsPacedToTheRealTimeFactorAfterItsFirstBurst()
    {
        const int Rate = 48_000, BlockSize = 4_800;   // a tenth of a second a block
        const double Factor = 10;
        await using var server = await StreamTest.StartAsync(new Synth(), o => o.MaxRealTimeFactor = Factor);
        await using var client = await StreamClient.OpenAsync(server, sampleRate: Rate, blockSize: BlockSize);

        // 15 s of audio: the first 10 s at once, the next 5 s at no more than 10× real time, so at least 0.5 s.
        var clock = Stopwatch.StartNew();
        for (var taken = 0; taken < 150; taken += 50)
        {
            await client.SendCreditAsync(50);
            await client.ReceiveBlocksAsync(50);
        }

        Assert.True(clock.Elapsed.TotalSeconds >= (15 - 10) / Factor * 0.95, $"15 s of audio in {clock.Elapsed.TotalMilliseconds:0} ms");
    }
}
