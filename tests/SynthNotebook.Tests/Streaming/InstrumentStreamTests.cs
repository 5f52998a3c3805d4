using SynthNotebook.Instruments;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>An instrument as the server's source: played from the kernel and from any connection, heard by every one.</summary>
public sealed class InstrumentStreamTests
{
    private const int BlockSize = 256;

    [Theory]
    [InlineData(48_000, 256)]
    [InlineData(44_100, 300)]
    public async Task APatternPlayedFromTheKernelStreamsSampleForSampleAsItRendersOffline(int sampleRate, int blockSize)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        var piano = new Instrument(VoiceSettings.Default with { Release = TimeSpan.FromMilliseconds(60) });
        server.Source = piano;
        await using var client = await StreamClient.OpenAsync(server, sampleRate, blockSize);
        var silence = await client.TakeBlocksAsync(5);
        Assert.All(silence.SelectMany(b => b.Samples), s => Assert.Equal(0f, s));

        var riff = Pattern.Steps("C4 E4+G4 - A3", bpm: 200).Repeat(2);
        piano.Play(riff);
        var notes = await client.ReceiveJsonAsync("notes");
        var blocks = (int)Math.Ceiling((riff.Seconds + 0.2) * sampleRate / blockSize);
        var played = new List<Block>();
        while (played.Count < blocks)
        {
            played.AddRange(await client.TakeBlocksAsync(Math.Min(64, blocks - played.Count)));
        }

        Assert.All(played, block => Assert.True(block.ParamsVersion >= notes.GetProperty("version").GetInt64()));
        var offline = piano.Render(riff, seconds: (double)blocks * blockSize / sampleRate, sampleRate, blockSize).Samples.ToArray();
        StreamTest.AssertSameSamples(offline, [.. played.SelectMany(b => b.Samples)], "the pattern streamed against offline");
    }

    [Fact]
    public async Task ANotePlayedOnceTheFirstListenerIsStreamingIsInWhatItHears()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        var keys = new Instrument(gain: 1);
        server.Source = keys;
        await using var client = await StreamClient.ConnectAsync(server);
        await server.Statistics.FirstConnection.WaitAsync(StreamClient.Timeout);
        Assert.False(server.Statistics.FirstListener.IsCompleted, "connected, but no hello yet: no source of its own");

        await client.HelloAsync(server.Token.Value, 48_000, BlockSize);
        await server.Statistics.FirstListener.WaitAsync(StreamClient.Timeout);
        keys.Play("A4", 0.2);
        await client.ReceiveJsonAsync("notes");
        var heard = (await client.TakeBlocksAsync(8)).SelectMany(b => b.Samples).ToArray();
        Assert.True(Synthesis.Reference.MaxAbs(heard) > 0.1, "the note is heard");
    }

    [Fact]
    public async Task AKeyPressedOnOneConnectionIsHeardOnEveryOneAtItsPitch()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Source = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Sine }, gain: 1);
        await using var keys = await StreamClient.OpenAsync(server, 48_000, BlockSize);
        await using var listener = await StreamClient.OpenAsync(server, 44_100, 1024);

        await keys.SendJsonAsync(new { op = "note-on", note = 69, velocity = 1.0 });
        await keys.ReceiveJsonAsync("notes");
        await listener.ReceiveJsonAsync("notes");
        var heard = (await listener.TakeBlocksAsync(24)).SelectMany(b => b.Samples).ToArray();
        await keys.SendJsonAsync(new { op = "note-off", note = 69 });
        await listener.ReceiveJsonAsync("notes");

        var magnitudes = Synthesis.Spectrum.Magnitudes(heard.AsSpan(4096, 16_384));
        Assert.Equal(440, Synthesis.Spectrum.BinToHz(Synthesis.Spectrum.PeakBin(magnitudes), 16_384, 44_100), 3.0);
        var released = (await listener.TakeBlocksAsync(16)).SelectMany(b => b.Samples).ToArray();
        Assert.True(Synthesis.Reference.MaxAbs(released.AsSpan(11_025)) < 1e-6, "silent once its 250 ms release is over");
    }

    [Fact]
    public async Task AKeyTimedToASampleOfItsOwnStreamSoundsOnThatSampleThereAndAtTheNextBlockElsewhere()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Source = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Sine }, gain: 1);
        await using var keys = await StreamClient.ConnectAsync(server);
        await keys.SendJsonAsync(new { op = "hello", token = server.Token.Value, sampleRate = 48_000, blockSize = BlockSize, rewind = true });
        await keys.ReceiveJsonAsync("welcome");
        await using var other = await StreamClient.OpenAsync(server, 48_000, BlockSize);
        var sent = await keys.TakeBlocksAsync(8);   // stream samples [0, 2048)

        // As the player does: the key timed just ahead of what it plays, then the blocks from there asked for again.
        const int At = 1_500;   // block 5, its sample 220
        await keys.SendJsonAsync(new { op = "note-on", note = 69, velocity = 1.0, at = At });
        await keys.ReceiveJsonAsync("notes");
        await keys.SendJsonAsync(new { op = "rewind", from = At / BlockSize });
        var again = await keys.ReceiveBlocksAsync(3);
        Assert.Equal([5UL, 6UL, 7UL], again.Select(block => block.Sequence));
        var heard = sent.Take(5).Concat(again).SelectMany(block => block.Samples).ToArray();
        Assert.Equal(At + 1, Array.FindIndex(heard, sample => sample != 0));   // struck on At: a fresh voice's sine starts at 0
        Assert.Equal(sent.Skip(5).First().Samples.Take(At % BlockSize), again[0].Samples.Take(At % BlockSize));

        // Another listener hears the key from its next block's first sample.
        await other.ReceiveJsonAsync("notes");
        var elsewhere = (await other.TakeBlocksAsync(2)).SelectMany(block => block.Samples).ToArray();
        Assert.Equal(1, Array.FindIndex(elsewhere, sample => sample != 0));   // a fresh voice's sine starts at 0
        // A time that is not a sample is refused.
        await keys.SendJsonAsync(new { op = "note-off", note = 69, at = -3 });
        Assert.Contains("at must be a sample of this connection's stream, a whole number in [0, 2^53]; got -3.",
            await keys.ReceiveErrorAsync("invalid-value"));
    }

    [Fact]
    public async Task NotesAreRefusedWithWhatToFixWhenNothingHasKeysOrTheNoteIsNotOne()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server, 48_000, BlockSize);

        await client.SendJsonAsync(new { op = "note-on", note = 60 });
        var none = await client.ReceiveErrorAsync("no-instrument");
        Assert.Equal("The server plays 'synth (5 sines)', which has no keys: set server.Source to an instrument (server.Source = new Instrument()).", none);

        server.Source = new Instrument();
        var told = await client.ReceiveJsonAsync("source");
        Assert.True(told.GetProperty("keys").GetBoolean());
        Assert.False(told.GetProperty("sliders").GetBoolean());
        await client.SendJsonAsync(new { op = "note-on", note = 60.5 });
        Assert.Contains("a whole number in [0, 127]; got 60.5", await client.ReceiveErrorAsync("invalid-value"));
        await client.SendJsonAsync(new { op = "note-off" });
        Assert.Contains("note-off needs \"note\"", await client.ReceiveErrorAsync("invalid-value"));
        await client.SendJsonAsync(new { op = "note-on", note = 60, velocity = 2 });
        Assert.Contains("velocity must be a number in [0, 1]; got 2", await client.ReceiveErrorAsync("invalid-value"));
        // The synth fades out over the swap's 10 ms; after it, nothing was played, so nothing sounds.
        var blocks = await client.TakeBlocksAsync(4);
        Assert.All(blocks.SelectMany(b => b.Samples).Skip(480), s => Assert.Equal(0f, s));
    }
}
