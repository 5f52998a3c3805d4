using SynthNotebook.Processing;

namespace SynthNotebook.Tests.Processing;

/// <summary>The gain stage and the empty chain: exact arithmetic, and out-of-range gains refused with a clear message.</summary>
public class GainTests
{
    [Fact]
    public void GainOfOneHalfHalvesEverySampleExactly()
    {
        // Arrange
        var input = Signals.Noise(1000, seed: 1);
        var block = (float[])input.Clone();
        var processor = AudioChain.PassThrough.Gain(0.5).Create(48000);

        // Act
        processor.Process(block);

        // Assert
        for (var i = 0; i < input.Length; i++)
        {
            Assert.Equal(input[i] / 2, block[i]);
        }
        Assert.Contains(block, sample => sample != 0);
    }

    [Fact]
    public void GainsOfAChainMultiply()
    {
        var input = Signals.Noise(256, seed: 2);
        var block = (float[])input.Clone();

        AudioChain.PassThrough.Gain(0.5).Gain(4).Create(44100).Process(block);

        for (var i = 0; i < input.Length; i++)
        {
            Assert.Equal(input[i] * 2, block[i]);
        }
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(-1.0)]
    [InlineData(4.001)]
    [InlineData(10.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void GainOutsideZeroToFourIsRejectedNamingGainAndTheRange(double gain)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => AudioChain.PassThrough.Gain(gain));

        Assert.Equal("gain", ex.ParamName);
        var ownMessage = ex.Message.Split('\n')[0];
        Assert.Contains("gain", ownMessage);
        Assert.Contains("[0, 4]", ownMessage);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(4.0)]
    public void GainAtTheEndsOfTheRangeIsAccepted(double gain)
    {
        var block = new[] { 0.25f, -0.5f };

        AudioChain.PassThrough.Gain(gain).Create(48000).Process(block);

        Assert.Equal(new[] { (float)(0.25 * gain), (float)(-0.5 * gain) }, block);
    }

    [Fact]
    public void PassThroughLeavesABlockUnchangedBitForBit()
    {
        // Arrange: ordinary samples and the awkward ones (signed zero, subnormals, extremes, a NaN payload).
        float[] special = [-0f, 0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue,
            BitConverter.Int32BitsToSingle(0x7FC0_1234), 1e-30f];
        var input = special.Concat(Signals.Noise(500, seed: 3)).ToArray();
        var block = (float[])input.Clone();
        var processor = AudioChain.PassThrough.Create(48000);

        // Act
        processor.Process(block);
        processor.Process(block);

        // Assert
        Assert.Equal(input.Select(BitConverter.SingleToInt32Bits), block.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal("pass-through", AudioChain.PassThrough.ToString());
        Assert.Empty(AudioChain.PassThrough.Stages);
    }
}
