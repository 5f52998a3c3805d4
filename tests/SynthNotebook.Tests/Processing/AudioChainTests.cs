using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Processing;

/// <summary>Chains run their stages in order, make fresh processors per stream, and describe themselves.</summary>
public class AudioChainTests
{
    private const int Rate = 48000;

    /// <summary>Adds a constant: a stage that does not commute with a gain, so order shows.</summary>
    private sealed class Offset(float amount) : IAudioProcessor
    {
        public void Process(Span<float> block)
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] += amount;
            }
        }
    }

    [Fact]
    public void GainThenHighPassEqualsRunningTheStagesOneAfterTheOther()
    {
        // Arrange
        var input = Signals.Noise(4 * 480, seed: 9);
        var chained = AudioChain.PassThrough.Gain(0.5).HighPass(200).Create(Rate);
        var gain = AudioChain.PassThrough.Gain(0.5).Create(Rate);
        var highPass = AudioChain.PassThrough.HighPass(200).Create(Rate);
        var actual = (float[])input.Clone();
        var expected = (float[])input.Clone();

        // Act: block by block, so the filter's state carries across blocks in both.
        for (var offset = 0; offset < input.Length; offset += 480)
        {
            chained.Process(actual.AsSpan(offset, 480));
            gain.Process(expected.AsSpan(offset, 480));
            highPass.Process(expected.AsSpan(offset, 480));
        }

        // Assert
        Assert.Equal(expected, actual);
        Assert.NotEqual(input.Select(x => x / 2), actual);
    }

    [Fact]
    public void StagesRunInTheOrderTheyWereAdded()
    {
        var input = Signals.Noise(300, seed: 10);
        var gainFirst = (float[])input.Clone();
        var offsetFirst = (float[])input.Clone();

        AudioChain.PassThrough.Gain(0.5).Then("offset", _ => new Offset(0.25f)).Create(Rate).Process(gainFirst);
        AudioChain.PassThrough.Then("offset", _ => new Offset(0.25f)).Gain(0.5).Create(Rate).Process(offsetFirst);

        Assert.Equal(input.Select(x => x * 0.5f + 0.25f), gainFirst);
        Assert.Equal(input.Select(x => (x + 0.25f) * 0.5f), offsetFirst);
        Assert.NotEqual(gainFirst, offsetFirst);
    }

    [Fact]
    public void ThenMakesTheCustomStagePerStreamForItsSampleRate()
    {
        var rates = new List<int>();
        var chain = AudioChain.PassThrough.Then("offset", rate =>
        {
            rates.Add(rate);
            return new Offset(1);
        });

        var a = chain.Create(44100);
        var b = chain.Create(96000);
        var block = new float[] { 1, 2 };
        a.Process(block);
        b.Process(block);

        Assert.Equal([44100, 96000], rates);
        Assert.NotSame(a, b);
        Assert.Equal(new float[] { 3, 4 }, block);
    }

    [Fact]
    public void EachStreamGetsItsOwnFilterState()
    {
        var chain = AudioChain.PassThrough.LowPass(300).Gain(2);
        var first = chain.Create(Rate);
        first.Process(Signals.Noise(1000, seed: 11)); // leaves state in the first stream's filter
        var input = Signals.Noise(480, seed: 12);

        var fromFirst = (float[])input.Clone();
        first.Process(fromFirst);
        var fromSecond = (float[])input.Clone();
        chain.Create(Rate).Process(fromSecond);
        var fromThird = (float[])input.Clone();
        chain.Create(Rate).Process(fromThird);

        Assert.Equal(fromSecond, fromThird);
        Assert.NotEqual(fromSecond, fromFirst);
    }

    [Fact]
    public void ChainsAreImmutableAndListTheirStages()
    {
        var highPass = AudioChain.PassThrough.HighPass(80);

        var full = highPass.Gain(0.5).RingModulate(new Synth()).Then("my stage", _ => new Offset(0)).BandPass(1000);

        Assert.Equal(["HighPass filter"], highPass.Stages);
        Assert.Equal(["HighPass filter", "gain 0.5", "ring modulator", "my stage", "BandPass filter"], full.Stages);
        Assert.Equal("HighPass filter → gain 0.5 → ring modulator → my stage → BandPass filter", full.ToString());
        Assert.Equal("HighPass filter", highPass.ToString());
        Assert.Empty(AudioChain.PassThrough.Stages);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ThenNeedsAName(string? name)
        => Assert.ThrowsAny<ArgumentException>(() => AudioChain.PassThrough.Then(name!, _ => new Offset(0)));

    [Fact]
    public void ThenNeedsAFactory()
        => Assert.Throws<ArgumentNullException>(() => AudioChain.PassThrough.Then("x", null!));

    [Theory]
    [InlineData(2999)]
    [InlineData(768_001)]
    [InlineData(0)]
    public void CreateRefusesSampleRatesOutsideTheSynthsLimits(int sampleRate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => AudioChain.PassThrough.Gain(1).Create(sampleRate));

        Assert.Equal("sampleRate", ex.ParamName);
    }
}
