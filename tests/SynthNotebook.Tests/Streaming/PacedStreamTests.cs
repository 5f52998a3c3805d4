using System.Diagnostics;
using System.Net.WebSockets;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// A paced connection (hello "pace"): after the credited blocks, the server sends a group every group's worth of audio
/// on its own clock, no credit needed, never ahead of real time, the same samples; hold moves it later.
/// </summary>
public sealed class PacedStreamTests
{
    private const int Rate = 48_000;
    private const int BlockSize = 256;
    private static readonly TimeSpan Block = TimeSpan.FromSeconds((double)BlockSize / Rate);

    private static async Task<StreamClient> OpenPacedAsync(SynthServer server, int pace)
    {
        var client = await StreamClient.ConnectAsync(server);
        await client.SendJsonAsync(new { op = "hello", version = 1, token = server.Token.Value, sampleRate = Rate, blockSize = BlockSize, pace });
        var welcome = await client.ReceiveJsonAsync("welcome");
        Assert.Equal(pace, welcome.GetProperty("pace").GetInt32());
        return client;
    }

    [Fact]
    public async Task AfterTheCreditedBlocksGroupsKeepComingWithoutCreditNeverAheadOfTheClockAndSampleExact()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await OpenPacedAsync(server, pace: 2);

        var clock = Stopwatch.StartNew();
        await client.SendCreditAsync(4);
        var blocks = new List<Block>();
        var arrivals = new List<TimeSpan>();
        for (var i = 0; i < 4 + 40; i++)
        {
            blocks.Add(await client.ReceiveBlockAsync());
            arrivals.Add(clock.Elapsed);
        }

        Assert.Equal(Enumerable.Range(0, blocks.Count).Select(i => (ulong)i), blocks.Select(b => b.Sequence));
        var expected = StreamTest.Render(synth.CreateVoice(Rate), blocks.Count, BlockSize);
        for (var b = 0; b < blocks.Count; b++)
        {
            StreamTest.AssertSameSamples(expected[b], blocks[b].Samples, $"block {b}");
        }
        // The server's clock started at its first block, after the credit was sent: the j-th block after the credited
        // ones cannot be sent before its group's due time. (A loaded machine only makes them later.)
        for (var j = 0; j < 40; j++)
        {
            var due = Block * 2 * (j / 2 + 1);
            Assert.True(arrivals[4 + j] >= due, $"block {4 + j} arrived at {arrivals[4 + j].TotalMilliseconds:0.0} ms, before its due {due.TotalMilliseconds:0.0} ms");
        }
    }

    [Fact]
    public async Task AHoldMovesTheRestOfTheScheduleLater()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await OpenPacedAsync(server, pace: 1);

        var clock = Stopwatch.StartNew();
        await client.SendCreditAsync(2);
        await client.ReceiveBlocksAsync(2);
        // The writer applies a hold before it next takes blocks from the clock, and the broadcast the set causes comes
        // from a later pass of the same writer than the hold's arrival: every block after the broadcast is held.
        const int held = 30;
        await client.SendJsonAsync(new { op = "hold", blocks = held });
        await client.SendSetAsync(0, frequency: 300);
        var scheduled = 0;
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (message.Type == WebSocketMessageType.Text)
            {
                break;
            }
            scheduled++;
        }
        var after = await client.ReceiveBlockAsync();
        var arrived = clock.Elapsed;
        var index = scheduled + 1;   // 1-based among the scheduled blocks
        var due = Block * (index + held);
        Assert.True(arrived >= due, $"a block after the hold arrived at {arrived.TotalMilliseconds:0.0} ms, before {due.TotalMilliseconds:0.0} ms");
    }

    [Theory]
    [InlineData(0, "synth", "pace")]
    [InlineData(17, "synth", "pace")]
    [InlineData(1.5, "synth", "pace")]
    [InlineData(2, "duplex", "duplex")]   // a duplex connection is paced by the audio it sends
    public async Task APaceOutOfRangeOrOnADuplexConnectionIsInvalidPayload(double pace, string mode, string named)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendJsonAsync(new { op = "hello", token = server.Token.Value, mode, pace });
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains(named, description);
    }

    [Fact]
    public async Task HoldIsRefusedWhereItMeansNothingOrHasNoWholeCount()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var plain = await StreamClient.OpenAsync(server);
        await plain.SendJsonAsync(new { op = "hold", blocks = 2 });
        Assert.Contains("paced", await plain.ReceiveErrorAsync("not-in-this-mode"));
        Assert.False(plain.Welcome.TryGetProperty("pace", out _));

        await using var paced = await OpenPacedAsync(server, pace: 2);
        await paced.SendJsonAsync(new { op = "hold", blocks = 0.5 });
        Assert.Contains("whole number", await paced.ReceiveErrorAsync("invalid-value"));
        await paced.AssertNoMoreBlocksAsync();
    }
}
