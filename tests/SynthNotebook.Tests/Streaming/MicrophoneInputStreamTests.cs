using SynthNotebook.Processing;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Processing;
using SynthNotebook.Tests.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// The microphone as a source (<c>server.MicrophoneInput</c>): what a duplex connection sends is heard by synth
/// listeners, each at its own rate. Each block sent is answered before the listener asks for its next one, so the
/// order of writes and reads is the test's, not the scheduler's, and an offline input fed the same way says exactly
/// what the listener must receive.
/// </summary>
public sealed class MicrophoneInputStreamTests
{
    private const int MicRate = 48_000;
    private const int MicBlock = 480;       // 10 ms
    private const int ListenerRate = 44_100;
    private const int ListenerBlock = 441;  // 10 ms

    private static float Tone(long n) => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * n / MicRate));

    [Fact]
    public async Task WhatOneConnectionSaysIsHeardByAListenerAtItsOwnRateSampleForSampleAsOffline()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Source = server.MicrophoneInput;
        await using var listener = await StreamClient.OpenAsync(server, ListenerRate, ListenerBlock);
        Assert.Equal(server.MicrophoneInput.Name, listener.Welcome.GetProperty("source").GetString());
        await using var microphone = await StreamClient.OpenDuplexAsync(server, MicRate, MicBlock);

        const int Blocks = 150;   // 1.5 s
        var heard = new List<float>();
        for (var b = 0; b < Blocks; b++)
        {
            await SayAsync(microphone, b);
            heard.AddRange((await listener.TakeBlocksAsync(1))[0].Samples);
        }

        var offline = new LiveInput("microphone");
        using (var feed = offline.OpenFeed(MicRate))
        {
            var reader = offline.Patch.Create(ListenerRate);
            var expected = new float[Blocks * ListenerBlock];
            for (var b = 0; b < Blocks; b++)
            {
                feed.Write(Block(b));
                reader.Read(expected.AsSpan(b * ListenerBlock, ListenerBlock));
            }
            StreamTest.AssertSameSamples(expected, [.. heard], "the listener against the same input fed offline");
        }
        var tail = heard.ToArray().AsSpan(heard.Count - 32_768);
        var peak = Spectrum.PeakBin(Spectrum.Magnitudes(tail), 1);
        Assert.InRange(Spectrum.BinToHz(peak, 32_768, ListenerRate), 439, 441);
        Assert.True(server.MicrophoneSignal.IsFed);
        Assert.Equal(MicRate, server.MicrophoneSignal.SampleRate);
        Assert.Equal(0, server.MicrophoneSignal.Underruns);
    }

    [Fact]
    public async Task TheSpeakerStillHearsItselfThroughTheChainAndTheSynthMixesWithTheMicrophone()
    {
        var synth = new Synth([1_000.0]);
        await using var server = await StreamTest.StartAsync(synth);
        server.Chain = AudioChain.PassThrough.Gain(0.5);
        server.Source = Patch.Mix(server.Synth, server.MicrophoneInput.Gain(0.5));
        await using var listener = await StreamClient.OpenAsync(server, ListenerRate, ListenerBlock);
        Assert.True(listener.Welcome.GetProperty("sliders").GetBoolean(), "the synth in the mix is the sliders'");
        await using var microphone = await StreamClient.OpenDuplexAsync(server, MicRate, MicBlock);

        var heard = new List<float>();
        for (var b = 0; b < 100; b++)
        {
            var echo = await SayAsync(microphone, b);
            Assert.Equal(Block(b).Select(sample => sample * 0.5f), echo.Samples);
            heard.AddRange((await listener.TakeBlocksAsync(1))[0].Samples);
        }
        var tail = heard.ToArray().AsSpan(heard.Count - 16_384);
        var magnitudes = Spectrum.Magnitudes(tail);
        Assert.InRange(Spectrum.MagnitudeNear(magnitudes, 440, 10, 16_384, ListenerRate), 0.2, 0.26);    // 0.5 × 0.5
        Assert.InRange(Spectrum.MagnitudeNear(magnitudes, 1_000, 10, 16_384, ListenerRate), 0.8, 1.01);  // the synth
    }

    [Fact]
    public async Task WhenTheMicrophoneHangsUpTheListenerFadesToSilenceWithoutAClick()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        server.Source = server.MicrophoneInput;
        await using var listener = await StreamClient.OpenAsync(server, ListenerRate, ListenerBlock);
        var heard = new List<float>();
        await using (var microphone = await StreamClient.OpenDuplexAsync(server, MicRate, MicBlock))
        {
            for (var b = 0; b < 60; b++)
            {
                await SayAsync(microphone, b);
                heard.AddRange((await listener.TakeBlocksAsync(1))[0].Samples);
            }
        }
        await StreamTest.WaitUntil(() => !server.MicrophoneSignal.IsFed, "the input knows its feed went");

        heard.AddRange((await listener.TakeBlocksAsync(20)).SelectMany(block => block.Samples));
        Assert.All(heard[^(ListenerBlock * 10)..], sample => Assert.Equal(0f, sample));
        var largest = Signals.MaxStep(heard.ToArray());
        var toneLargest = 2 * Math.PI * 440 * 0.5 / ListenerRate;
        Assert.True(largest <= toneLargest * 1.05, $"a step of {largest} (the tone's own largest is {toneLargest})");
    }

    private static float[] Block(int b) => [.. Enumerable.Range(b * MicBlock, MicBlock).Select(n => Tone(n))];

    /// <summary>Sends block <paramref name="b"/> of the tone and waits for its answer (by then the input holds it).</summary>
    private static async Task<Block> SayAsync(StreamClient microphone, int b)
    {
        await microphone.SendBinaryAsync(StreamClient.AudioFrame((ulong)b, Block(b)));
        var echo = await microphone.ReceiveBlockAsync();
        Assert.Equal((ulong)b, echo.Sequence);
        return echo;
    }
}
