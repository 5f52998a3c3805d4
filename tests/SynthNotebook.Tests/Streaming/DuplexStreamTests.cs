using System.Buffers.Binary;
using System.Net.WebSockets;
using SynthNotebook.Processing;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// Duplex mode: the client sends blocks of audio and gets each back, with its sequence number, run through the
/// server's chain; swapping the chain cross-fades without losing a block; bad frames close only their connection.
/// </summary>
public class DuplexStreamTests
{
    private const int Rate = 48000;
    private const int BlockSize = 128;

    private static Task<StreamClient> OpenDuplexAsync(SynthServer server, int blockSize = BlockSize)
        => StreamClient.OpenDuplexAsync(server, Rate, blockSize);

    private static byte[] Frame(ulong sequence, ReadOnlySpan<float> samples, int? count = null)
        => StreamClient.AudioFrame(sequence, samples, count);

    /// <summary>A continuous test signal (a tone plus a little noise), cut into blocks.</summary>
    private static float[][] Signal(int blocks, int seed)
    {
        var random = new Random(seed);
        var result = new float[blocks][];
        for (var b = 0; b < blocks; b++)
        {
            result[b] = new float[BlockSize];
            for (var i = 0; i < BlockSize; i++)
            {
                var n = b * BlockSize + i;
                result[b][i] = (float)(0.7 * Math.Sin(2 * Math.PI * 440 * n / Rate) + 0.1 * (random.NextDouble() - 0.5));
            }
        }
        return result;
    }

    private static async Task SendAllAsync(StreamClient client, float[][] blocks, ulong firstSequence)
    {
        for (var b = 0; b < blocks.Length; b++)
        {
            await client.SendBinaryAsync(Frame(firstSequence + (ulong)b, blocks[b]));
        }
    }

    [Fact]
    public async Task PassThroughAnswersEveryFrameWithItsSequenceAndIdenticalSamples()
    {
        // Arrange
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await OpenDuplexAsync(server);
        var blocks = Signal(24, seed: 1);
        const ulong First = 0xABCD_0000_0000_0010; // beyond 32 bits: the whole u64 must come back

        // Act: all frames in flight at once.
        await SendAllAsync(client, blocks, First);
        var answers = await client.ReceiveBlocksAsync(blocks.Length);

        // Assert
        for (var b = 0; b < blocks.Length; b++)
        {
            Assert.Equal(First + (ulong)b, answers[b].Sequence);
            Assert.Equal(0u, answers[b].ParamsVersion);
            StreamTest.AssertSameSamples(blocks[b], answers[b].Samples, $"block {b}");
        }
        await client.AssertNoMoreBlocksAsync();
    }

    [Fact]
    public async Task SequenceNumbersAreTheClientsOwnNotACounter()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await OpenDuplexAsync(server);
        ulong[] sequences = [7, 3, ulong.MaxValue, 0, 7];
        var block = Signal(1, seed: 2)[0];

        foreach (var sequence in sequences)
        {
            await client.SendBinaryAsync(Frame(sequence, block));
        }
        var answers = await client.ReceiveBlocksAsync(sequences.Length);

        Assert.Equal(sequences, answers.Select(a => a.Sequence));
    }

    [Fact]
    public async Task ChainSetBeforeConnectingHalvesTheSamplesAndItsVersionIsInTheHeader()
    {
        // Arrange: two swaps, so the slot's version is 2 and the newest chain is the one that applies.
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Chain = AudioChain.PassThrough.Gain(2);
        server.Chain = AudioChain.PassThrough.Gain(0.5);
        await using var client = await OpenDuplexAsync(server);
        var blocks = Signal(6, seed: 3);

        // Act
        await SendAllAsync(client, blocks, 100);
        var answers = await client.ReceiveBlocksAsync(blocks.Length);

        // Assert
        Assert.Equal("gain 0.5", server.Chain.ToString());
        for (var b = 0; b < blocks.Length; b++)
        {
            Assert.Equal(100UL + (ulong)b, answers[b].Sequence);
            Assert.Equal(2u, answers[b].ParamsVersion);
            StreamTest.AssertSameSamples(blocks[b].Select(x => x * 0.5f).ToArray(), answers[b].Samples, $"block {b}");
        }
    }

    [Fact]
    public async Task SwappingTheChainMidStreamCrossFadesAndLosesNoFrame()
    {
        // Arrange
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await OpenDuplexAsync(server);
        var fadeSamples = (int)Math.Round(ChainSwitch.FadeSeconds * Rate);
        var blocks = Signal(40, seed: 4);

        // Act: 16 frames in flight; the swap lands after the first 8 answers, maybe among the other 8; then 24 more.
        await SendAllAsync(client, blocks[..16], 0);
        var answers = (await client.ReceiveBlocksAsync(8)).ToList();
        server.Chain = AudioChain.PassThrough.Gain(0.5);
        await SendAllAsync(client, blocks[16..], 16);
        answers.AddRange(await client.ReceiveBlocksAsync(32));

        // Assert: every frame answered, in order; the version steps once from 0 to 1.
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (ulong)i), answers.Select(a => a.Sequence));
        Assert.All(answers.Take(8), a => Assert.Equal(0u, a.ParamsVersion));
        Assert.All(answers.Skip(16), a => Assert.Equal(1u, a.ParamsVersion));
        var swap = answers.FindIndex(a => a.ParamsVersion == 1);
        Assert.All(answers.Skip(swap), a => Assert.Equal(1u, a.ParamsVersion));

        for (var b = 0; b < swap; b++)
        {
            StreamTest.AssertSameSamples(blocks[b], answers[b].Samples, $"block {b}, before the swap");
        }
        var fadeBlocks = 0;
        for (var b = swap; b < blocks.Length; b++)
        {
            var sinceSwap = (b - swap) * BlockSize;
            if (sinceSwap >= fadeSamples)
            {
                StreamTest.AssertSameSamples(blocks[b].Select(x => x * 0.5f).ToArray(), answers[b].Samples, $"block {b}, after the fade");
                continue;
            }
            fadeBlocks++;
            var expected = blocks[b].Select((x, i) =>
                (float)(x * (1 - 0.5 * Math.Min(1.0, (double)(sinceSwap + i) / fadeSamples)))).ToArray();
            StreamTest.AssertClose(expected, answers[b].Samples, 1e-6, $"block {b}, during the fade");
        }
        Assert.Equal((fadeSamples + BlockSize - 1) / BlockSize, fadeBlocks);
        // The fade is audible as such: half way through, neither the old nor the new level.
        var middle = answers[swap + fadeSamples / 2 / BlockSize];
        Assert.Contains(middle.Samples.Zip(blocks[swap + fadeSamples / 2 / BlockSize]),
            pair => Math.Abs(pair.First) > 0.1 && Math.Abs(pair.First - pair.Second) > 0.01 && Math.Abs(pair.First - pair.Second * 0.5f) > 0.01);
    }

    public static TheoryData<string, byte[], string[]> BadFrames()
    {
        var good = Signal(1, seed: 5)[0];
        var withNaN = (float[])good.Clone();
        withNaN[5] = float.NaN;
        var withInfinity = (float[])good.Clone();
        withInfinity[BlockSize - 1] = float.PositiveInfinity;
        var withNegativeInfinity = (float[])good.Clone();
        withNegativeInfinity[0] = float.NegativeInfinity;
        return new TheoryData<string, byte[], string[]>
        {
            { "short header", Frame(1, good)[..10], ["16-byte header", "10 bytes"] },
            { "empty message", [], ["16-byte header", "0 bytes"] },
            { "count below blockSize", Frame(1, good[..64]), ["blockSize (128)", "64"] },
            { "count above blockSize", Frame(1, [.. good, .. good]), ["blockSize (128)", "256"] },
            { "header only", Frame(1, good)[..BlockFrame.HeaderBytes], ["512 bytes", "got 0"] },
            { "a sample short", Frame(1, good)[..^4], ["512 bytes", "got 508"] },
            { "a byte too many", [.. Frame(1, good), 0], ["512 bytes", "got 513"] },
            { "header says 128, 64 samples follow", Frame(1, good[..64], count: BlockSize), ["512 bytes", "got 256"] },
            { "NaN sample", Frame(1, withNaN), ["sample 5", "finite"] },
            { "infinite sample", Frame(1, withInfinity), ["sample 127", "finite"] },
            { "negative infinite sample", Frame(1, withNegativeInfinity), ["sample 0", "finite"] },
        };
    }

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task BadFrameClosesWith1007SayingWhatIsWrongAndOthersCarryOn(string kind, byte[] frame, string[] reasonMentions)
    {
        // Arrange
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Chain = AudioChain.PassThrough.Gain(0.5);
        await using var offender = await OpenDuplexAsync(server);
        await using var bystander = await OpenDuplexAsync(server);
        var blocks = Signal(8, seed: 6);
        await offender.SendBinaryAsync(Frame(0, blocks[0]));
        Assert.Equal(0UL, (await offender.ReceiveBlockAsync()).Sequence);
        await SendAllAsync(bystander, blocks[..4], 0); // in flight while the offender misbehaves

        // Act
        await offender.SendBinaryAsync(frame);
        var (status, reason) = await offender.ReceiveCloseNextAsync();

        // Assert
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        foreach (var mention in reasonMentions)
        {
            Assert.True(reason?.Contains(mention, StringComparison.Ordinal) == true,
                $"{kind}: the close reason '{reason}' should mention '{mention}'.");
        }
        await SendAllAsync(bystander, blocks[4..], 4);
        var answers = await bystander.ReceiveBlocksAsync(8);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (ulong)i), answers.Select(a => a.Sequence));
        for (var b = 0; b < blocks.Length; b++)
        {
            StreamTest.AssertSameSamples(blocks[b].Select(x => x * 0.5f).ToArray(), answers[b].Samples, $"bystander block {b}");
        }
    }

    [Fact]
    public async Task AThrowingStageOfTheUsersClosesThatStreamWith1011SayingWhyAndTheServerCarriesOn()
    {
        // Arrange
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await OpenDuplexAsync(server);
        var blocks = Signal(2, seed: 9);
        await client.SendBinaryAsync(Frame(0, blocks[0]));
        await client.ReceiveBlockAsync();

        // Act
        server.Chain = AudioChain.PassThrough.Then("broken", _ => new ThrowingStage());
        await client.SendBinaryAsync(Frame(1, blocks[1]));
        var (status, reason) = await client.ReceiveCloseNextAsync();

        // Assert
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Contains("InvalidOperationException: my stage is broken", reason);
        server.Chain = AudioChain.PassThrough;
        await using var next = await OpenDuplexAsync(server);
        await next.SendBinaryAsync(Frame(0, blocks[0]));
        StreamTest.AssertSameSamples(blocks[0], (await next.ReceiveBlockAsync()).Samples, "after the broken chain");
    }

    private sealed class ThrowingStage : IAudioProcessor
    {
        public void Process(Span<float> block) => throw new InvalidOperationException("my stage is broken");
    }

    [Theory]
    [InlineData("{\"op\":\"credit\",\"blocks\":4}", "credit")]
    [InlineData("Get block", "blocks for the audio it sends")]
    public async Task CreditOrSeedTextInDuplexModeIsAnsweredNotInThisModeAndTheConnectionStaysOpen(string text, string mention)
    {
        // Arrange
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await OpenDuplexAsync(server);
        var blocks = Signal(2, seed: 7);

        // Act
        await client.SendTextAsync(text);
        var message = await client.ReceiveErrorAsync("not-in-this-mode");
        await SendAllAsync(client, blocks, 41);
        var answers = await client.ReceiveBlocksAsync(2);

        // Assert: no block was sent for the credit, and the next frames are answered as usual.
        Assert.Contains(mention, message);
        Assert.Equal([41UL, 42UL], answers.Select(a => a.Sequence));
        StreamTest.AssertSameSamples(blocks[1], answers[1].Samples, "the frame after the error");
        await client.AssertNoMoreBlocksAsync();
    }

    [Fact]
    public async Task BinaryFromASynthModeClientClosesWith1003()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server, Rate, BlockSize);
        Assert.Equal("synth", client.Welcome.GetProperty("mode").GetString());

        await client.SendBinaryAsync(Frame(0, Signal(1, seed: 8)[0]));
        var (status, reason) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.Contains("duplex", reason);
    }

    [Fact]
    public async Task HelloWithModeSynthStreamsTheSynthAsWithoutAMode()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendJsonAsync(new { op = "hello", token = server.Token.Value, mode = "synth", sampleRate = Rate, blockSize = BlockSize });
        var welcome = await client.ReceiveJsonAsync("welcome");
        var block = (await client.TakeBlocksAsync(1))[0];

        Assert.Equal("synth", welcome.GetProperty("mode").GetString());
        StreamTest.AssertSameSamples(StreamTest.Render(synth.CreateVoice(Rate), 1, BlockSize)[0], block.Samples, "first block");
    }

    [Theory]
    [InlineData("\"bogus\"", "bogus")]
    [InlineData("\"Duplex\"", "Duplex")]
    [InlineData("\"\"", "mode")]
    [InlineData("3", "Number")]
    public async Task HelloWithAnUnknownModeClosesWith1007NamingIt(string mode, string mention)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendTextAsync($"{{\"op\":\"hello\",\"token\":\"{server.Token.Value}\",\"mode\":{mode}}}");
        var (status, reason) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains("mode", reason);
        Assert.Contains(mention, reason);
    }

    [Fact]
    public async Task LoudSamplesThroughAGainComeBackFiniteNeverInfinity()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Chain = AudioChain.PassThrough.Gain(4);
        await using var client = await OpenDuplexAsync(server);
        var loud = new float[BlockSize];
        for (var i = 0; i < loud.Length; i++)
        {
            loud[i] = i % 2 == 0 ? 3e38f : -3e38f;
        }

        await client.SendBinaryAsync(Frame(1, loud));
        var answer = await client.ReceiveBlockAsync();

        Assert.All(answer.Samples, sample => Assert.True(float.IsFinite(sample), $"{sample}"));
        Assert.Equal(1f, answer.Samples[0]);
        Assert.Equal(-1f, answer.Samples[1]);
    }

    [Fact]
    public async Task ADuplexHelloWhoseBlocksCannotFitInAMessageIsRefusedAtTheHello()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendJsonAsync(new Dictionary<string, object>
        {
            ["op"] = "hello", ["version"] = 1, ["token"] = server.Token.Value, ["mode"] = "duplex",
            ["sampleRate"] = Rate, ["blockSize"] = 16_384,
        });
        var (status, reason) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains("blockSize must be at most 16380", reason);
    }
}
