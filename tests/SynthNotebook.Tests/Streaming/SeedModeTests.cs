using System.Net.WebSockets;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// The seed's JavaScript client: token in the URL, no hello, <c>ws.send("Get block")</c> for every block, and every
/// binary message read as a bare Float32Array.
/// </summary>
public class SeedModeTests
{
    [Fact]
    public async Task GetBlockTextsAreAnsweredWithHeaderlessBlocksOfTheOfflineRender()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.ConnectAsync(server, queryToken: server.Token.Value);

        var received = new List<float[]>();
        // One at a time, as the seed does; then two at once.
        for (var i = 0; i < 3; i++)
        {
            await client.SendTextAsync("Get block");
            received.Add(Block.ReadSamples(await client.ReceiveBinaryAsync()));
        }
        await client.SendTextAsync("Get block");
        await client.SendTextAsync("Get block");
        var fourth = await client.ReceiveBinaryAsync();
        var fifth = await client.ReceiveBinaryAsync();
        Assert.Equal(4096 * sizeof(float), fourth.Length);
        received.Add(Block.ReadSamples(fourth));
        received.Add(Block.ReadSamples(fifth));

        var expected = synth.RenderBlocks(5, 44100);
        for (var b = 0; b < 5; b++)
        {
            Assert.Equal(16384, received[b].Length * sizeof(float));
            StreamTest.AssertSameSamples(expected.AsSpan(b * 4096, 4096).ToArray(), received[b], $"seed block {b}");
        }
        await client.AssertNoMoreBlocksAsync();
    }

    [Fact]
    public async Task SeedModeUsesTheSynthsRateAndBlockSizeAndGetsNoParameterBroadcasts()
    {
        var synth = new Synth(sampleRate: 22050, blockSize: 512);
        var reference = new Synth(sampleRate: 22050, blockSize: 512);
        var voice = reference.CreateVoice();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.ConnectAsync(server, queryToken: server.Token.Value);

        await client.SendTextAsync("Get block");
        var first = await client.ReceiveBinaryAsync();
        Assert.Equal(512 * sizeof(float), first.Length);
        StreamTest.AssertSameSamples(StreamTest.Render(voice, 1, 512)[0], Block.ReadSamples(first), "first seed block");

        synth.SetFrequency(0, 123);
        reference.SetFrequency(0, 123);
        await client.SendTextAsync("Get block");
        // The next message is the block, not a params broadcast the seed would misread as samples.
        var second = await client.ReceiveBinaryAsync();
        StreamTest.AssertClose(StreamTest.Render(voice, 1, 512)[0], Block.ReadSamples(second), 1e-6, "seed block after a change");
    }

    [Fact]
    public async Task SeedClientWithAWrongUrlTokenIsRefusedWith1008()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, queryToken: "not-the-token-not-the-token");

        await client.SendTextAsync("Get block");
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.False(string.IsNullOrWhiteSpace(description));
    }

    [Fact]
    public async Task SeedClientWithoutATokenIsRefusedWith1008()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendTextAsync("Get block");
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("token", description, StringComparison.OrdinalIgnoreCase);
    }
}
