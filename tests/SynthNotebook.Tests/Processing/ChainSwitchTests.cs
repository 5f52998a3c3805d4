using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Processing;

/// <summary>
/// A swapped chain cross-fades in linearly over <see cref="ChainSwitch.FadeSeconds"/>, then runs alone; a steady
/// chain allocates nothing per block.
/// </summary>
public class ChainSwitchTests
{
    [Theory]
    [InlineData(48000, 100)]
    [InlineData(44100, 128)]
    [InlineData(8000, 16)]
    public void ASwapCrossFadesLinearlyOverTenMillisecondsThenRunsTheNewChainAlone(int sampleRate, int blockSize)
    {
        // Arrange
        var slot = new SwapSlot<AudioChain>(AudioChain.PassThrough.Gain(1));
        var chainSwitch = new ChainSwitch(slot.Current, sampleRate, blockSize);
        var fadeSamples = (int)Math.Round(ChainSwitch.FadeSeconds * sampleRate);
        var blocksBefore = 3;
        var blocksAfter = fadeSamples / blockSize + 4;
        var input = Signals.Noise((blocksBefore + blocksAfter) * blockSize, seed: 13);
        var output = (float[])input.Clone();

        // Act
        for (var b = 0; b < blocksBefore + blocksAfter; b++)
        {
            if (b == blocksBefore)
            {
                slot.Value = AudioChain.PassThrough.Gain(0.5);
            }
            chainSwitch.Process(output.AsSpan(b * blockSize, blockSize), slot.Current);
        }

        // Assert
        Assert.Equal(1, chainSwitch.Version);
        var swap = blocksBefore * blockSize;
        for (var n = 0; n < swap; n++)
        {
            Assert.Equal(input[n], output[n]);
        }
        for (var n = swap; n < swap + fadeSamples; n++)
        {
            var t = (double)(n - swap) / fadeSamples;
            var expected = input[n] * (1 - 0.5 * t);
            if (!(Math.Abs(output[n] - expected) <= 1e-6))
            {
                Assert.Fail($"{n - swap} samples into the fade: {output[n]:R}, expected {expected:R} (t = {t:F4}).");
            }
        }
        for (var n = swap + fadeSamples; n < output.Length; n++)
        {
            if (output[n] != input[n] * 0.5f)
            {
                Assert.Fail($"{n - swap} samples after the swap (fade is {fadeSamples}): {output[n]:R}, expected {input[n] * 0.5f:R}.");
            }
        }
    }

    [Fact]
    public void ASecondSwapDuringAFadeNeitherClicksNorIsLost()
    {
        // A second swap 2.7 ms into the first 10 ms fade: the output stays continuous and ends on the newest chain.
        const int Rate = 48000, Block = 64;
        var slot = new SwapSlot<AudioChain>(AudioChain.PassThrough);
        var chainSwitch = new ChainSwitch(slot.Current, Rate, Block);
        var input = Signals.Sine(300, Rate, 40 * Block, amplitude: 0.8);
        var output = (float[])input.Clone();

        for (var b = 0; b < 40; b++)
        {
            if (b == 4)
            {
                slot.Value = AudioChain.PassThrough.Gain(0);
            }
            if (b == 6)
            {
                slot.Value = AudioChain.PassThrough.Gain(2);
            }
            chainSwitch.Process(output.AsSpan(b * Block, Block), slot.Current);
        }

        Assert.Equal(2, chainSwitch.Version);
        Assert.Equal(input[^Block..].Select(x => x * 2), output[^Block..]);
        // Gain 2 at most doubles the steps, plus a little for the fade's own slope; a jump to silence is ~10 times that.
        var inputStep = Signals.MaxStep(input, 1, input.Length);
        var outputStep = Signals.MaxStep(output, 1, output.Length);
        Assert.True(outputStep <= 2.5 * inputStep,
            $"The largest sample-to-sample step is {outputStep:F4}; the input's is {inputStep:F4}: the swap clicked.");
    }

    [Fact]
    public void ASteadyChainAllocatesNothingPerBlock()
    {
        // Arrange: every kind of stage, swapped in and settled.
        const int Rate = 48000, Block = 256;
        var slot = new SwapSlot<AudioChain>(AudioChain.PassThrough);
        var chainSwitch = new ChainSwitch(slot.Current, Rate, Block);
        var settings = new FilterSettings(FilterType.LowPass, 2000);
        slot.Value = AudioChain.PassThrough.Gain(0.5).HighPass(100).Filter(settings).RingModulate(new Synth()).BandPass(1000, 2);
        var block = Signals.Noise(Block, seed: 14);
        for (var i = 0; i < 50; i++)
        {
            chainSwitch.Process(block, slot.Current);
        }
        settings.Frequency = 3000; // a glide in progress allocates nothing either

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            chainSwitch.Process(block, slot.Current);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(0, allocated);
        Assert.Equal(1, chainSwitch.Version);
    }

    [Fact]
    public void TheSlotVersionsEverySwap()
    {
        var slot = new SwapSlot<AudioChain>(AudioChain.PassThrough);
        var initial = slot.Current;

        slot.Value = AudioChain.PassThrough.Gain(2);
        slot.Value = AudioChain.PassThrough.Gain(3);

        Assert.Equal(0, initial.Version);
        Assert.Same(AudioChain.PassThrough, initial.Value);
        Assert.Equal(2, slot.Current.Version);
        Assert.Equal("gain 3", slot.Value.ToString());
        Assert.Throws<ArgumentNullException>(() => slot.Value = null!);
    }
}
