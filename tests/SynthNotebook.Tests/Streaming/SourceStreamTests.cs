using System.Net.WebSockets;
using System.Text.Json;
using SynthNotebook.Notebook;
using SynthNotebook.Processing;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// The server streams whatever patch it is given (<c>server.Source</c>): each listener its own source at its own rate,
/// sample for sample what an offline render makes; a swap cross-fades for every listener; a failing source is silence
/// for its listener and a message, while the server and the others carry on.
/// </summary>
public sealed class SourceStreamTests
{
    private const int BlockSize = 256;

    private static Patch SawThroughFilter() => Patch.From(rate => new BandLimitedOscillator(Waveform.Saw, 110, rate, 0.5), "saw 110 Hz")
        .Through(AudioChain.PassThrough.LowPass(900).Echo(0.03, 0.4, 0.5));

    [Theory]
    [InlineData(48_000, 256)]
    [InlineData(44_100, 300)]
    public async Task AListenerReceivesSampleForSampleWhatTheOfflineRenderOfThePatchIs(int sampleRate, int blockSize)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        var patch = Patch.Mix(SawThroughFilter(), new ToneClass(330).AsPatch(), Patch.PerSample(t => 0.1 * Math.Sin(2 * Math.PI * 55 * t)));
        server.Source = patch;
        await using var client = await StreamClient.OpenAsync(server, sampleRate, blockSize);

        Assert.Equal(patch.Name, client.Welcome.GetProperty("source").GetString());
        Assert.False(client.Welcome.GetProperty("sliders").GetBoolean(), "the sliders move a synth this patch does not play");
        Assert.False(client.Welcome.TryGetProperty("keys", out _));
        var blocks = await client.TakeBlocksAsync(60);
        var offline = patch.Render(60.0 * blockSize / sampleRate, sampleRate, blockSize).Samples.ToArray();
        StreamTest.AssertSameSamples(offline, [.. blocks.SelectMany(b => b.Samples)], "the stream against the offline render");
    }

    [Fact]
    public async Task ASwapIsToldToEveryListenerAndEachCrossFadesFromItsOwnSynthVoiceToItsOwnSource()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var low = await StreamClient.OpenAsync(server, 44_100, BlockSize);
        await using var high = await StreamClient.OpenAsync(server, 48_000, BlockSize);
        var before = new[] { await low.TakeBlocksAsync(8), await high.TakeBlocksAsync(8) };

        var patch = SawThroughFilter();
        server.Source = patch;
        var told = new[] { await low.ReceiveJsonAsync("source"), await high.ReceiveJsonAsync("source") };
        var after = new[] { await low.TakeBlocksAsync(24), await high.TakeBlocksAsync(24) };

        foreach (var (client, index, rate) in new[] { (low, 0, 44_100), (high, 1, 48_000) })
        {
            Assert.Equal(patch.Name, told[index].GetProperty("name").GetString());
            Assert.False(told[index].TryGetProperty("error", out _));
            var voice = StreamTest.Render(synth.CreateVoice(rate), 8, BlockSize);
            for (var b = 0; b < 8; b++)
            {
                StreamTest.AssertSameSamples(voice[b], before[index][b].Samples, $"{rate} Hz block {b}, before the swap");
            }
            // From the swap on: the fade, then the patch alone, from its own start at the swap.
            var streamed = after[index].SelectMany(b => b.Samples).ToArray();
            var fresh = patch.Render(24.0 * BlockSize / rate, rate, BlockSize).Samples.ToArray();
            var fade = (int)Math.Round(ChainSwitch.FadeSeconds * rate);
            StreamTest.AssertSameSamples(fresh[fade..], streamed[fade..], $"{rate} Hz after the fade");
            var version = told[index].GetProperty("version").GetInt64();
            Assert.All(after[index], block => Assert.True(block.ParamsVersion >= version, "blocks after the swap carry its version"));
            Assert.All(before[index], block => Assert.True(block.ParamsVersion < version));
        }
        Assert.Same(patch, server.Source);
    }

    [Fact]
    public async Task AfterASwapARewindRendersTheNewPatchFromTheBlockAsked()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.ConnectAsync(server);
        await client.SendJsonAsync(new { op = "hello", token = server.Token.Value, sampleRate = 48_000, blockSize = BlockSize, rewind = true });
        await client.ReceiveJsonAsync("welcome");
        var first = await client.TakeBlocksAsync(20);

        var patch = SawThroughFilter();
        server.Source = patch;
        await client.ReceiveJsonAsync("source");
        await client.SendJsonAsync(new { op = "rewind", from = 12 });
        var again = await client.ReceiveBlocksAsync(8);

        // Offline: the same switch, swapped at block 12.
        var slot = new SwapSlot<Patch>(synth);
        var reference = new PatchSwitch(slot, 48_000);
        var expected = new float[20][];
        for (var b = 0; b < 20; b++)
        {
            if (b == 12)
            {
                slot.Value = patch;
            }
            reference.Read(expected[b] = new float[BlockSize]);
        }
        Assert.Equal(Enumerable.Range(12, 8).Select(i => (ulong)i), again.Select(b => b.Sequence));
        for (var b = 0; b < 12; b++)
        {
            StreamTest.AssertSameSamples(expected[b], first[b].Samples, $"block {b}");
        }
        foreach (var block in again)
        {
            StreamTest.AssertSameSamples(expected[block.Sequence], block.Samples, $"block {block.Sequence}, rendered again after the swap");
        }
    }

    [Fact]
    public async Task ARewindOverBlocksOfASourceWithoutCheckpointsIsSkippedAndSaidSo()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Source = Patch.From(rate => new ToneClass(330, rate), "tone of my own");   // a plain ISampleSource
        await using var client = await StreamClient.ConnectAsync(server);
        await client.SendJsonAsync(new { op = "hello", token = server.Token.Value, sampleRate = 48_000, blockSize = BlockSize, rewind = true });
        await client.ReceiveJsonAsync("welcome");
        var sent = await client.TakeBlocksAsync(10);

        await client.SendJsonAsync(new { op = "rewind", from = 4 });
        var skipped = await client.ReceiveJsonAsync("rewind-skipped");
        Assert.Equal(4, skipped.GetProperty("from").GetInt64());
        Assert.Contains("'tone of my own' keeps no checkpoints", skipped.GetProperty("message").GetString());
        var next = await client.TakeBlocksAsync(1);
        Assert.Equal(10ul, next[0].Sequence);
        Assert.Equal(9ul, sent[^1].Sequence);
    }

    [Fact]
    public async Task APatchThatFailsAtOnceIsRefusedWhereItIsSetAndTheOldOnePlaysOn()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        var playing = server.Source;
        var broken = Patch.PerBlock((_, _, _) => throw new IndexOutOfRangeException("Index was outside the bounds of the array."), "my sampler");

        var error = Assert.Throws<ArgumentException>(() => server.Source = broken);
        Assert.StartsWith("The patch 'my sampler' failed its first block at 48000 Hz: IndexOutOfRangeException: Index was outside", error.Message);
        Assert.Contains("The source playing is unchanged.", error.Message);
        Assert.Same(playing, server.Source);
        await using var client = await StreamClient.OpenAsync(server, 48_000, BlockSize);
        Assert.Equal("synth (5 sines)", client.Welcome.GetProperty("source").GetString());
        Assert.True(client.Welcome.GetProperty("sliders").GetBoolean());
    }

    [Fact]
    public async Task ASourceThatThrowsLaterSilencesItsListenerOnlyTellsItAndTheServerAndASwapBringsSoundBack()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        var reported = new TaskCompletionSource<SourceFault>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.SourceFailed += fault => reported.TrySetResult(fault);
        // Fails 0.1 s in at 44.1 kHz only: the listener at 48 kHz has a source of its own, which does not fail.
        server.Source = Patch.From(rate => rate == 44_100
            ? new FunctionSource(t => t < 0.1 ? 0.5 : throw new InvalidOperationException("the grain buffer ran dry"), rate)
            : new FunctionSource(_ => 0.25, rate), "granular");
        await using var failing = await StreamClient.OpenAsync(server, 44_100, BlockSize);
        await using var healthy = await StreamClient.OpenAsync(server, 48_000, BlockSize);

        var (blocks, texts) = await TakeAsync(failing, 40);
        var healthyBlocks = await healthy.TakeBlocksAsync(40);

        var told = Assert.Single(texts, t => t.GetProperty("op").GetString() == "source");
        Assert.Equal("'granular' threw InvalidOperationException: the grain buffer ran dry — playing silence; set server.Source to play again.",
            told.GetProperty("error").GetString());
        var samples = blocks.SelectMany(b => b.Samples).ToArray();
        // The block it threw in fades from the level heard to 0; the ones before are as rendered, the ones after silent.
        var failedBlock = (int)Math.Ceiling(0.1 * 44_100) / BlockSize;
        Assert.All(samples[..(failedBlock * BlockSize)], s => Assert.Equal(0.5f, s));
        Assert.All(samples[((failedBlock + 1) * BlockSize)..], s => Assert.Equal(0f, s));
        Assert.All(healthyBlocks.SelectMany(b => b.Samples), s => Assert.Equal(0.25f, s));
        var fault = await reported.Task.WaitAsync(StreamClient.Timeout);
        Assert.Equal("granular", fault.PatchName);
        Assert.Same(fault, server.LastSourceFault);
        Assert.Contains("source failed:</b> &#39;granular&#39; threw InvalidOperationException: the grain buffer ran dry", ServerCard.Html(server));

        server.Source = Patch.PerSample(_ => 0.125, "steady");
        Assert.Null(server.LastSourceFault);
        Assert.Contains("playing <span data-field=\"source\">steady</span><br>", ServerCard.Html(server));
        var swapped = await failing.ReceiveJsonAsync("source");
        Assert.False(swapped.TryGetProperty("error", out _));
        var (later, _) = await TakeAsync(failing, 8);
        Assert.All(later.SelectMany(b => b.Samples).Skip(BlockSize * 2), s => Assert.Equal(0.125f, s));
        Assert.True(server.IsRunning);
    }

    [Fact]
    public async Task APacedListenersOwnSourceIsNeverRunOnTheSendClocksThread()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        var threads = new System.Collections.Concurrent.ConcurrentBag<string?>();
        server.Source = Patch.PerBlock((block, _, _) =>
        {
            threads.Add(Thread.CurrentThread.Name);
            block.Clear();
        }, "thread spy");
        threads.Clear();   // the setter's own first block
        await using var client = await StreamClient.ConnectAsync(server);
        await client.SendJsonAsync(new { op = "hello", token = server.Token.Value, sampleRate = 48_000, blockSize = BlockSize, pace = 2 });
        await client.ReceiveJsonAsync("welcome");
        await client.SendCreditAsync(2);
        // Past the two credited blocks, every block comes on the clock: 40 of them, a fifth of a second.
        await client.ReceiveBlocksAsync(42);
        Assert.True(threads.Count >= 42);
        Assert.DoesNotContain("SynthNotebook send clock", threads);
    }

    /// <summary>Grants <paramref name="count"/> blocks and receives them with any text messages among them.</summary>
    private static async Task<(Block[] Blocks, List<JsonElement> Texts)> TakeAsync(StreamClient client, int count)
    {
        await client.SendCreditAsync(count);
        var blocks = new List<Block>();
        var texts = new List<JsonElement>();
        while (blocks.Count < count)
        {
            var message = await client.ReceiveAsync();
            if (message.Type == WebSocketMessageType.Binary)
            {
                blocks.Add(Block.Parse(message.Data));
            }
            else
            {
                texts.Add(JsonDocument.Parse(message.Data).RootElement.Clone());
            }
        }
        return ([.. blocks], texts);
    }

    /// <summary>A user's own source, as a notebook would write it: a class with a phase.</summary>
    private sealed class ToneClass(double frequency, int sampleRate = 48_000) : ISampleSource
    {
        private double _phase;

        public int SampleRate => sampleRate;

        public Patch AsPatch() => Patch.From(rate => new ToneClass(frequency, rate), $"tone {frequency} Hz");

        public int Read(Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)(0.2 * Math.Sin(2 * Math.PI * _phase));
                _phase = (_phase + frequency / sampleRate) % 1;
            }
            return destination.Length;
        }
    }
}
