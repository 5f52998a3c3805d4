using System.Net.WebSockets;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>Credits: the server sends exactly as many blocks as granted, in order, and never holds more than maxCredits.</summary>
public class FlowControlTests
{
    [Fact]
    public async Task ExactlyTheGrantedBlocksArriveAndNothingMore()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.OpenAsync(server, blockSize: 256);

        await client.SendCreditAsync(3);
        var first = await client.ReceiveBlocksAsync(3);
        Assert.Equal([0UL, 1UL, 2UL], first.Select(b => b.Sequence));

        // No fourth block: a change of the parameters is broadcast, and the broadcast is the next message.
        await client.SendSetAsync(0, frequency: 220);
        var broadcast = await client.ReceiveJsonAsync("params");
        Assert.Equal(1, broadcast.GetProperty("version").GetInt64());
        Assert.Equal(220.0, synth.GetFrequency(0));
        // And an invalid message is answered, and the answer is the next message.
        await client.AssertNoMoreBlocksAsync();

        // More credit, more blocks, continuing the sequence.
        await client.SendCreditAsync(2);
        var second = await client.ReceiveBlocksAsync(2);
        Assert.Equal([3UL, 4UL], second.Select(b => b.Sequence));
        await client.AssertNoMoreBlocksAsync();

        Assert.Equal(5, server.Statistics.BlocksSent);
    }

    [Fact]
    public async Task NoCreditNoBlock()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server);

        await client.AssertNoMoreBlocksAsync();

        Assert.Equal(0, server.Statistics.BlocksSent);
    }

    [Fact]
    public async Task SequenceNumbersAreContiguousAcrossManyBatches()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server, blockSize: 128);

        var sequences = new List<ulong>();
        foreach (var batch in new[] { 1, 7, 64, 13, 50, 2, 63 })
        {
            // Batches both awaited one at a time and granted in two parts while blocks are still arriving.
            var half = batch / 2;
            if (half > 0)
            {
                await client.SendCreditAsync(half);
            }
            await client.SendCreditAsync(batch - half);
            sequences.AddRange((await client.ReceiveBlocksAsync(batch)).Select(b => b.Sequence));
        }

        Assert.Equal(200, sequences.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (ulong)i), sequences);
        await client.AssertNoMoreBlocksAsync();
    }

    [Fact]
    public async Task CreditAboveMaxCreditsInOneMessageIsRefusedAndGrantsNothing()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server, blockSize: 64);

        await client.SendCreditAsync(65);
        var message = await client.ReceiveErrorAsync("invalid-value");
        Assert.Contains("64", message);

        await client.AssertNoMoreBlocksAsync();
    }

    [Fact]
    public async Task OverGrantingIsReportedAndClampedToMaxCredits()
    {
        const int MaxCredits = 64;
        await using var server = await StreamTest.StartAsync(new Synth());
        // Big blocks (256 KiB each) that this client does not read while it grants: the server's writer soon waits
        // for the socket, so most of the first grant is still outstanding when the second one arrives.
        await using var client = await StreamClient.OpenAsync(server, blockSize: 65536);
        Assert.Equal(MaxCredits, client.Welcome.GetProperty("maxCredits").GetInt32());

        await client.SendCreditAsync(MaxCredits);
        await client.SendCreditAsync(MaxCredits);

        // The blocks the writer took before the second grant (k of them) all precede the error, which is queued just
        // after the grant; at most one more may slip in between grant and error.
        var blocks = new List<Block>();
        await ReceiveBlocksUntilAsync(client, blocks, "too-many-credits");
        var blocksBeforeError = blocks.Count;
        Assert.InRange(blocksBeforeError, 0, MaxCredits);

        // Clamped: the second grant filled the outstanding credits up to exactly maxCredits (not 2 × maxCredits − k),
        // so exactly maxCredits blocks follow the grant, at least maxCredits − 1 of them after the error.
        blocks.AddRange(await client.ReceiveBlocksAsync(MaxCredits - 1));
        // Replies go out before blocks, so a reply can overtake the one block that may still be owed; two probes in
        // turn let that block (taken right after the first reply) arrive.
        foreach (var _ in new[] { 1, 2 })
        {
            await client.SendTextAsync("{\"op\":\"no-such-op\"}");
            await ReceiveBlocksUntilAsync(client, blocks, "unknown-op");
        }
        Assert.InRange(blocks.Count - blocksBeforeError, MaxCredits - 1, MaxCredits);

        // Stopping sends everything already taken, then the close: nothing beyond maxCredits after the error, ever.
        var stop = server.StopAsync();
        while (await client.ReceiveAsync() is { Type: not WebSocketMessageType.Close } message)
        {
            Assert.True(message.Type == WebSocketMessageType.Binary, $"Unexpected {message}");
            blocks.Add(Block.Parse(message.Data));
        }
        await stop.WaitAsync(StreamClient.Timeout);
        Assert.InRange(blocks.Count - blocksBeforeError, MaxCredits - 1, MaxCredits);
        Assert.InRange(blocks.Count, MaxCredits, 2 * MaxCredits - 1);
        Assert.Equal(blocks.Count, server.Statistics.BlocksSent);
        Assert.Equal(Enumerable.Range(0, blocks.Count).Select(i => (ulong)i), blocks.Select(b => b.Sequence));
    }

    /// <summary>Collects blocks until the error with <paramref name="code"/>; any other text fails.</summary>
    private static async Task ReceiveBlocksUntilAsync(StreamClient client, List<Block> blocks, string code)
    {
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (message.Type == WebSocketMessageType.Binary)
            {
                blocks.Add(Block.Parse(message.Data));
                continue;
            }
            Assert.True(message.Type == WebSocketMessageType.Text && message.Text.Contains($"\"{code}\"", StringComparison.Ordinal),
                $"Expected blocks and then the {code} error; got {message}.");
            return;
        }
    }

    [Fact]
    public async Task ConfiguredMaxCreditsIsEnforced()
    {
        await using var server = await StreamTest.StartAsync(new Synth(), o => o.MaxCredits = 3);
        await using var client = await StreamClient.OpenAsync(server, blockSize: 64);

        await client.SendCreditAsync(4);
        await client.ReceiveErrorAsync("invalid-value");
        await client.SendCreditAsync(3);
        Assert.Equal([0UL, 1UL, 2UL], (await client.ReceiveBlocksAsync(3)).Select(b => b.Sequence));
        await client.AssertNoMoreBlocksAsync();
    }
}
