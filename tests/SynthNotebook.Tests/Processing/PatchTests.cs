using SynthNotebook.Processing;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Synthesis;

namespace SynthNotebook.Tests.Processing;

/// <summary>A patch makes a fresh source per rate; lambdas of time and of blocks are sources like any other.</summary>
public sealed class PatchTests
{
    [Fact]
    public void AFunctionOfTimeIsCalledAtEachSamplesTimeAndABlockFunctionGivesTheSameSamples()
    {
        static double Tone(double t) => 0.5 * Math.Sin(2 * Math.PI * 441 * t);
        var perSample = Patch.PerSample(Tone).Render(0.1, 44_100, blockSize: 100);
        var perBlock = Patch.PerBlock((block, first, rate) =>
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = (float)Tone((first + i) / (double)rate);
            }
        }).Render(0.1, 44_100, blockSize: 37);

        var expected = Enumerable.Range(0, 4410).Select(n => (float)Tone(n / 44_100.0)).ToArray();
        Assert.Equal(expected, perSample.Samples.ToArray());
        Assert.Equal(expected, perBlock.Samples.ToArray());
    }

    [Fact]
    public void LambdaSourcesAreRewindableByTheirPosition()
    {
        var source = new FunctionSource(t => Math.Sin(2 * Math.PI * 300 * t), 48_000);
        Reference.AssertRestoredRendersTheSame(source, warmUp: 1000, length: 700);
        var block = new BlockFunctionSource((b, first, _) => b.Fill(first % 1000), 48_000);
        Reference.AssertRestoredRendersTheSame(block, warmUp: 1000, length: 700);
    }

    [Fact]
    public void EveryCreateIsAFreshSourceAtTheRateAsked()
    {
        var patch = Patch.From(rate => new BandLimitedOscillator(Waveform.Saw, 110, rate), "saw");
        var a = patch.Create(48_000);
        Reference.Read(a, 500);
        var b = patch.Create(48_000);
        Assert.NotSame(a, b);
        Assert.Equal(patch.Create(48_000).Render(0.01).Samples.ToArray(), b.Render(0.01).Samples.ToArray());
        Assert.Equal(44_100, patch.Create(44_100).SampleRate);
    }

    [Fact]
    public void ARecipeThatIgnoresTheRateOrGivesNothingIsToldWhatToFix()
    {
        var wrongRate = Patch.From(_ => new BandLimitedOscillator(Waveform.Sine, 440, 44_100), "fixed");
        var error = Assert.Throws<InvalidOperationException>(() => wrongRate.Create(48_000));
        Assert.Contains("44100 Hz when asked for 48000 Hz", error.Message);
        Assert.Contains("rate => new", error.Message);
        var none = Patch.From(_ => null!, "nothing");
        Assert.Contains("returned null", Assert.Throws<InvalidOperationException>(() => none.Create(48_000)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => wrongRate.Create(10));
    }

    [Fact]
    public void AMixIsTheSumOfItsPatchesAndThroughAndGainShapeIt()
    {
        var low = Patch.PerSample(t => 0.25 * Math.Sin(2 * Math.PI * 200 * t), "low");
        var high = Patch.From(rate => new BandLimitedOscillator(Waveform.Triangle, 1000, rate, amplitude: 0.25), "high");
        var mix = Patch.Mix(low, high).Gain(2);

        var expected = low.Render(0.05).Samples.ToArray().Zip(high.Render(0.05).Samples.ToArray(), (x, y) => (x + y) * 2f).ToArray();
        Assert.Equal(expected, mix.Render(0.05).Samples.ToArray());
        Assert.Equal("mix of low + high → gain 2", mix.Name);
        Assert.Throws<ArgumentException>(() => Patch.Mix());
        Assert.IsAssignableFrom<IRewindableSource>(mix.Create(48_000));
    }

    [Fact]
    public void TheSynthIsAPatchOfItsOwnVoices()
    {
        var synth = new Synth(3, 200, 400);
        Patch patch = synth;
        Assert.Equal("synth (3 sines)", patch.Name);
        Assert.Equal(StreamTestRender(synth.CreateVoice(48_000)), patch.Render(0.02).Samples.ToArray());

        static float[] StreamTestRender(OscillatorBank voice) => voice.Render(0.02).Samples.ToArray();
    }

    [Fact]
    public void ASourceThroughRewindableProcessorsIsRewindableAndOneThroughOthersIsNot()
    {
        var chain = AudioChain.PassThrough.LowPass(800).Gain(0.5).Echo(0.01, 0.5, 0.5).RingModulate(new Synth(2, 30, 60));
        var shaped = new BandLimitedOscillator(Waveform.Saw, 220, 48_000).Through(chain);
        Reference.AssertRestoredRendersTheSame(Assert.IsAssignableFrom<IRewindableSource>(shaped), warmUp: 3000, length: 2000);

        var envelope = new AdsrEnvelope(48_000, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), 0.5, TimeSpan.FromMilliseconds(30));
        envelope.NoteOn();
        var note = new BandLimitedOscillator(Waveform.Square, 220, 48_000).Through(envelope);
        Reference.AssertRestoredRendersTheSame(Assert.IsAssignableFrom<IRewindableSource>(note), warmUp: 300, length: 2000);

        var opaque = new BandLimitedOscillator(Waveform.Saw, 220, 48_000).Through(new OpaqueProcessor());
        Assert.IsNotAssignableFrom<IRewindableSource>(opaque);
        Assert.IsNotAssignableFrom<IRewindableSource>(new BandLimitedOscillator(Waveform.Saw, 220, 48_000)
            .Through(AudioChain.PassThrough.Then("mine", _ => new OpaqueProcessor())));
    }

    private sealed class OpaqueProcessor : IAudioProcessor
    {
        public void Process(Span<float> block)
        {
        }
    }
}
