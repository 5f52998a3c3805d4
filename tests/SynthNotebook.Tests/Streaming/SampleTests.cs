using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// What the blocks carry: exactly what an offline voice renders, per connection (own phases), and parameter changes
/// from any client or from the kernel reach every client, in the parameters broadcast and in the sound.
/// </summary>
public class SampleTests
{
    [Theory]
    [InlineData(44100, 4096)]
    [InlineData(48000, 4096)]
    [InlineData(22050, 1000)]
    public async Task BlocksEqualAnOfflineVoiceAtTheClientsRate(int sampleRate, int blockSize)
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.OpenAsync(server, sampleRate, blockSize);

        var blocks = new List<Block>();
        blocks.AddRange(await client.TakeBlocksAsync(1));
        blocks.AddRange(await client.TakeBlocksAsync(4));

        var expected = StreamTest.Render(synth.CreateVoice(sampleRate), blocks.Count, blockSize);
        for (var b = 0; b < blocks.Count; b++)
        {
            Assert.Equal((ulong)b, blocks[b].Sequence);
            Assert.Equal(0u, blocks[b].ParamsVersion);
            StreamTest.AssertSameSamples(expected[b], blocks[b].Samples, $"block {b}");
        }
        // Not trivially equal: the signal is there, and another rate would have given other samples.
        Assert.True(blocks[1].Samples.Max(Math.Abs) > 0.1f);
        var otherRate = StreamTest.Render(synth.CreateVoice(sampleRate == 44100 ? 48000 : 44100), 2, blockSize);
        Assert.NotEqual(otherRate[1], blocks[1].Samples);
    }

    [Fact]
    public async Task TwoClientsEachHearAContinuousSignalOfTheirOwn()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var a = await StreamClient.OpenAsync(server, 44100, 1024);
        await using var b = await StreamClient.OpenAsync(server, 44100, 1024);

        var receivedA = new List<Block>();
        var receivedB = new List<Block>();
        foreach (var (creditA, creditB) in new[] { (1, 2), (3, 1), (2, 2), (1, 4) })
        {
            // Both grants outstanding at once, so the server renders for both connections in between each other.
            await a.SendCreditAsync(creditA);
            await b.SendCreditAsync(creditB);
            receivedB.AddRange(await b.ReceiveBlocksAsync(creditB));
            receivedA.AddRange(await a.ReceiveBlocksAsync(creditA));
        }

        var expected = StreamTest.Render(synth.CreateVoice(44100), 9, 1024);
        Assert.Equal(7, receivedA.Count);
        Assert.Equal(9, receivedB.Count);
        for (var i = 0; i < receivedA.Count; i++)
        {
            Assert.Equal((ulong)i, receivedA[i].Sequence);
            StreamTest.AssertSameSamples(expected[i], receivedA[i].Samples, $"client A block {i}");
        }
        for (var i = 0; i < receivedB.Count; i++)
        {
            Assert.Equal((ulong)i, receivedB[i].Sequence);
            StreamTest.AssertSameSamples(expected[i], receivedB[i].Samples, $"client B block {i}");
        }
    }

    [Fact]
    public async Task AClientJoiningLaterStartsAFreshVoice()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var early = await StreamClient.OpenAsync(server, 48000, 512);
        await early.TakeBlocksAsync(10);

        await using var late = await StreamClient.OpenAsync(server, 48000, 512);
        var block = (await late.TakeBlocksAsync(1))[0];

        Assert.Equal(0UL, block.Sequence);
        StreamTest.AssertSameSamples(StreamTest.Render(synth.CreateVoice(48000), 1, 512)[0], block.Samples, "late client's first block");
        Assert.Equal(10UL, (await early.TakeBlocksAsync(1))[0].Sequence);
    }

    [Fact]
    public async Task ChangesFromAClientOrTheKernelReachEveryClientAndTheSound()
    {
        const int BlockSize = 2048;
        var synth = new Synth();
        // The same synth again, changed at the same block boundaries, offline.
        var reference = new Synth();
        var unchanged = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var a = await StreamClient.OpenAsync(server, 44100, BlockSize);
        await using var b = await StreamClient.OpenAsync(server, 48000, BlockSize);
        var voiceA = reference.CreateVoice(44100);
        var voiceB = reference.CreateVoice(48000);

        StreamTest.AssertSameSamples(StreamTest.Render(voiceA, 2, BlockSize)[1], (await a.TakeBlocksAsync(2))[1].Samples, "A before");
        StreamTest.AssertSameSamples(StreamTest.Render(voiceB, 3, BlockSize)[2], (await b.TakeBlocksAsync(3))[2].Samples, "B before");

        // 1. Client A changes the frequency of component 0.
        await a.SendSetAsync(0, frequency: 275.5);
        var paramsA = await a.ReceiveJsonAsync("params");
        var paramsB = await b.ReceiveJsonAsync("params");
        Assert.Equal(275.5, synth.GetFrequency(0));
        var version = synth.Parameters.Version;
        Assert.Equal(1, version);
        foreach (var broadcast in new[] { paramsA, paramsB })
        {
            Assert.Equal(version, broadcast.GetProperty("version").GetInt64());
            Assert.Equal(275.5, broadcast.GetProperty("components")[0].GetProperty("frequency").GetDouble());
            Assert.Equal(250.0, broadcast.GetProperty("components")[1].GetProperty("frequency").GetDouble());
            Assert.Equal(1.0, broadcast.GetProperty("gain").GetDouble());
        }
        reference.SetFrequency(0, 275.5);
        await AssertFollows(a, voiceA, 3, version, "A after the client's change");
        await AssertFollows(b, voiceB, 2, version, "B after the client's change");

        // 2. The kernel changes component 1.
        synth.Set(1, 333, 0.5);
        foreach (var client in new[] { a, b })
        {
            var broadcast = await client.ReceiveJsonAsync("params");
            Assert.Equal(2, broadcast.GetProperty("version").GetInt64());
            Assert.Equal(333.0, broadcast.GetProperty("components")[1].GetProperty("frequency").GetDouble());
            Assert.Equal(0.5, broadcast.GetProperty("components")[1].GetProperty("amplitude").GetDouble());
            Assert.Equal(275.5, broadcast.GetProperty("components")[0].GetProperty("frequency").GetDouble());
        }
        reference.Set(1, 333, 0.5);
        await AssertFollows(a, voiceA, 1, 2, "A after the kernel's change");
        await AssertFollows(b, voiceB, 2, 2, "B after the kernel's change");

        // 3. Client B changes the master gain.
        await b.SendJsonAsync(new { op = "set", gain = 0.5 });
        foreach (var client in new[] { b, a })
        {
            var broadcast = await client.ReceiveJsonAsync("params");
            Assert.Equal(3, broadcast.GetProperty("version").GetInt64());
            Assert.Equal(0.5, broadcast.GetProperty("gain").GetDouble());
        }
        reference.Gain = 0.5;
        var lastA = await AssertFollows(a, voiceA, 2, 3, "A after B's gain change");
        await AssertFollows(b, voiceB, 1, 3, "B after B's gain change");

        // The changes are audible: the stream is not what the unchanged synth plays at that point.
        var unchangedA = StreamTest.Render(unchanged.CreateVoice(44100), 8, BlockSize)[7];
        Assert.True(lastA.Samples.Zip(unchangedA, (x, y) => Math.Abs(x - y)).Max() > 0.05);
        Assert.True(lastA.Samples.Max(Math.Abs) <= 0.5f + 1e-6f);
    }

    [Fact]
    public async Task BurstsOfChangesEndWithTheNewestParameters()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.OpenAsync(server, 44100, 256);

        for (var i = 1; i <= 50; i++)
        {
            synth.SetFrequency(2, 300 + i);
        }

        // Bursts coalesce: some versions may be skipped, but they come in order and the last one is the newest.
        var seen = new List<long>();
        while (seen.Count == 0 || seen[^1] != 50)
        {
            var broadcast = await client.ReceiveJsonAsync("params");
            seen.Add(broadcast.GetProperty("version").GetInt64());
            Assert.Equal(300.0 + seen[^1], broadcast.GetProperty("components")[2].GetProperty("frequency").GetDouble());
        }
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Distinct(), seen);
        var block = (await client.TakeBlocksAsync(1))[0];
        Assert.Equal(50u, block.ParamsVersion);
    }

    /// <summary>Takes <paramref name="count"/> blocks and checks them against the same number from the reference voice.</summary>
    private static async Task<Block> AssertFollows(StreamClient client, OscillatorBank voice, int count, long version, string what)
    {
        var blocks = await client.TakeBlocksAsync(count);
        var expected = StreamTest.Render(voice, count, blocks[0].Samples.Length);
        for (var i = 0; i < count; i++)
        {
            Assert.True(blocks[i].ParamsVersion >= version, $"{what}: block {blocks[i].Sequence} has version {blocks[i].ParamsVersion}, expected ≥ {version}.");
            StreamTest.AssertClose(expected[i], blocks[i].Samples, 1e-6, $"{what}, block {i}");
        }
        return blocks[^1];
    }
}
