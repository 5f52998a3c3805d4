using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Processing;

/// <summary>The ring modulator multiplies the input by a fresh voice of the synth, scaled by 1/components.</summary>
public class RingModulatorTests
{
    [Theory]
    [InlineData(5, 48000)]
    [InlineData(3, 44100)]
    [InlineData(1, 22050)]
    public void OutputIsTheInputTimesAFreshVoiceOverTheComponentCount(int components, int sampleRate)
    {
        // Arrange
        var synth = new Synth(components, 180, 420);
        var processor = AudioChain.PassThrough.RingModulate(synth).Create(sampleRate);
        var voice = synth.CreateVoice(sampleRate);
        var scale = 1f / components;
        int[] blockSizes = [256, 100, 1000, 17, 4096];
        var input = Signals.Noise(blockSizes.Sum(), seed: 7);
        var output = (float[])input.Clone();

        // Act
        var offset = 0;
        foreach (var size in blockSizes)
        {
            processor.Process(output.AsSpan(offset, size));
            offset += size;
        }

        // Assert: block by block, the same float operations on the same carrier.
        offset = 0;
        foreach (var size in blockSizes)
        {
            var carrier = new float[size];
            voice.Read(carrier);
            for (var i = 0; i < size; i++)
            {
                var expected = input[offset + i] * (carrier[i] * scale);
                if (expected != output[offset + i])
                {
                    Assert.Fail($"sample {offset + i}: {output[offset + i]:R}, expected {expected:R}.");
                }
            }
            offset += size;
        }
        // Not trivially equal: the carrier moved the signal, and never above the input's magnitude (gain 1).
        Assert.True(input.Zip(output, (x, y) => Math.Abs(x - y)).Max() > 0.1);
        Assert.All(input.Zip(output), pair => Assert.True(Math.Abs(pair.Second) <= Math.Abs(pair.First) + 1e-6f));
    }

    [Fact]
    public void EachStreamGetsItsOwnVoiceFromTheStart()
    {
        var synth = new Synth();
        var chain = AudioChain.PassThrough.RingModulate(synth);
        var first = chain.Create(48000);
        first.Process(new float[4800]); // advances the first stream's carrier only
        var input = Signals.Noise(512, seed: 8);

        var fromFirst = (float[])input.Clone();
        first.Process(fromFirst);
        var fromSecond = (float[])input.Clone();
        chain.Create(48000).Process(fromSecond);

        var carrier = new float[512];
        synth.CreateVoice(48000).Read(carrier);
        Assert.Equal(input.Select((x, i) => x * (carrier[i] * 0.2f)), fromSecond);
        Assert.NotEqual(fromSecond, fromFirst);
    }

    [Fact]
    public void RingModulatingWithoutASynthIsRejected()
        => Assert.Throws<ArgumentNullException>(() => AudioChain.PassThrough.RingModulate(null!));
}
