using System.Net.WebSockets;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// Rewind (hello "rewind": true): blocks already sent are rendered again from the voice's state at their start, with
/// the parameters of now, and sent again; the stream then goes on where it was. Sample-exact against a voice that took
/// the change at that block.
/// </summary>
public sealed class RewindTests
{
    private const int Rate = 48_000;
    private const int BlockSize = 256;

    private static async Task<StreamClient> OpenAsync(SynthServer server, int? pace = null)
    {
        var client = await StreamClient.ConnectAsync(server);
        object hello = pace is { } group
            ? new { op = "hello", token = server.Token.Value, sampleRate = Rate, blockSize = BlockSize, rewind = true, pace = group }
            : new { op = "hello", token = server.Token.Value, sampleRate = Rate, blockSize = BlockSize, rewind = true };
        await client.SendJsonAsync(hello);
        var welcome = await client.ReceiveJsonAsync("welcome");
        // Half a second of 256-sample blocks at 48 kHz: more than the thickest cushion a player keeps.
        Assert.Equal(94, welcome.GetProperty("rewindBlocks").GetInt32());
        return client;
    }

    /// <summary>What a voice plays when the change comes at the start of block <paramref name="changedAt"/>.</summary>
    private static float[][] ChangedAt(int changedAt, int blocks, Action<Synth> change)
    {
        var reference = new Synth();
        var voice = reference.CreateVoice(Rate);
        var before = StreamTest.Render(voice, changedAt, BlockSize);
        change(reference);
        return [.. before, .. StreamTest.Render(voice, blocks - changedAt, BlockSize)];
    }

    [Fact]
    public async Task TheBlocksFromTheRewindComeAgainWithTheChangeAndTheStreamGoesOnFromWhereItWas()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await OpenAsync(server);

        await client.SendCreditAsync(20);
        var first = await client.ReceiveBlocksAsync(20);
        await client.SendSetAsync(0, frequency: 300);
        Assert.Equal(300, (await client.ReceiveJsonAsync("params")).GetProperty("components")[0].GetProperty("frequency").GetDouble());
        await client.SendJsonAsync(new { op = "rewind", from = 12 });
        var again = await client.ReceiveBlocksAsync(8);
        await client.SendCreditAsync(4);
        var after = await client.ReceiveBlocksAsync(4);

        Assert.Equal(Enumerable.Range(12, 12).Select(i => (ulong)i), again.Concat(after).Select(b => b.Sequence));
        var expected = ChangedAt(12, 24, s => s.Set(0, 300, null));
        for (var b = 0; b < 12; b++)
        {
            StreamTest.AssertSameSamples(expected[b], first[b].Samples, $"block {b}, before the rewind's start");
        }
        foreach (var block in again.Concat(after))
        {
            StreamTest.AssertSameSamples(expected[block.Sequence], block.Samples, $"block {block.Sequence}, rendered again");
            Assert.True(block.ParamsVersion > first[0].ParamsVersion, $"block {block.Sequence} names the parameters it was rendered with");
        }
        // The blocks it replaced were the old sound: the rewind changed something a player would hear.
        Assert.NotEqual(first[15].Samples, again[3].Samples);
    }

    [Fact]
    public async Task ARewindPastTheHistoryStartsAtTheOldestBlockKeptAndRendersWhatWasSent()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await OpenAsync(server);

        await client.SendCreditAsync(60);
        await client.SendCreditAsync(40);
        var sent = await client.ReceiveBlocksAsync(100);
        await client.SendJsonAsync(new { op = "rewind", from = 0 });
        var again = await client.ReceiveBlocksAsync(94);

        Assert.Equal(Enumerable.Range(6, 94).Select(i => (ulong)i), again.Select(b => b.Sequence));
        foreach (var block in again)
        {
            StreamTest.AssertSameSamples(sent[block.Sequence].Samples, block.Samples, $"block {block.Sequence}, nothing changed");
        }
        await client.AssertNoMoreBlocksAsync();
    }

    [Fact]
    public async Task OnAPacedConnectionTheRewindSendsAtOnceAndTheClockGoesOnInOrder()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await OpenAsync(server, pace: 2);

        await client.SendCreditAsync(8);
        var before = await client.ReceiveBlocksAsync(12);
        // The reader takes the set before the rewind: the rewind renders with it.
        await client.SendSetAsync(1, amplitude: 0.25);
        await client.SendJsonAsync(new { op = "rewind", from = 6 });

        // The clock goes on meanwhile: blocks 12, 13, … may come before the rewind is taken, and they are sent again
        // too. Then the rewind's blocks, then the clock's next ones, in order.
        var sequences = new List<ulong>();
        var newest = new Dictionary<ulong, Block>();
        while (sequences.Count < 40)
        {
            var message = await client.ReceiveAsync();
            if (message.Type != WebSocketMessageType.Binary)
            {
                continue;   // the params broadcast, which may come among the clock's blocks
            }
            var block = Block.Parse(message.Data);
            sequences.Add(block.Sequence);
            newest[block.Sequence] = block;
        }
        var clockBlocks = sequences.IndexOf(6);
        Assert.True(clockBlocks >= 0, $"no block 6 again in {string.Join(",", sequences)}");
        Assert.Equal(Enumerable.Range(12, clockBlocks).Concat(Enumerable.Range(6, 40 - clockBlocks)).Select(i => (ulong)i), sequences);
        var reached = 6 + 40 - clockBlocks;
        var expected = ChangedAt(6, reached, s => s.Set(1, null, 0.25));
        for (var b = 0; b < 6; b++)
        {
            StreamTest.AssertSameSamples(expected[b], before[b].Samples, $"block {b}");
        }
        for (var b = 6; b < reached; b++)
        {
            StreamTest.AssertSameSamples(expected[b], newest[(ulong)b].Samples, $"block {b}");
        }
    }

    [Fact]
    public async Task ARewindIsRefusedWithoutAHistoryOrOutsideWhatWasSent()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var plain = await StreamClient.OpenAsync(server);
        Assert.False(plain.Welcome.TryGetProperty("rewindBlocks", out _));
        await plain.SendJsonAsync(new { op = "rewind", from = 0 });
        Assert.Contains("\"rewind\": true", await plain.ReceiveErrorAsync("not-in-this-mode"));

        await using var client = await OpenAsync(server);
        await client.SendCreditAsync(3);
        await client.ReceiveBlocksAsync(3);
        await client.SendJsonAsync(new { op = "rewind", from = 4 });
        Assert.Contains("[0, 3]", await client.ReceiveErrorAsync("invalid-value"));
        await client.SendJsonAsync(new { op = "rewind", from = 1.5 });
        await client.ReceiveErrorAsync("invalid-value");
        await client.SendJsonAsync(new { op = "rewind" });
        Assert.Contains("\"from\"", await client.ReceiveErrorAsync("invalid-value"));
        // Nothing to go back over: the stream is where it was.
        await client.SendJsonAsync(new { op = "rewind", from = 3 });
        await client.AssertNoMoreBlocksAsync();
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }
}
