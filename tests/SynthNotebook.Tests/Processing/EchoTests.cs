using SynthNotebook.Processing;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Synthesis;

namespace SynthNotebook.Tests.Processing;

public sealed class EchoTests
{
    [Fact]
    public void AnImpulseComesBackEveryDelayEachEchoFeedbackTimesTheOneBefore()
    {
        const int Rate = 8000;
        var echo = AudioChain.PassThrough.Echo(0.01, feedback: 0.5, mix: 0.8).Create(Rate);
        var signal = new float[400];
        signal[3] = 1;
        for (var offset = 0; offset < signal.Length; offset += 64)
        {
            echo.Process(signal.AsSpan(offset, Math.Min(64, signal.Length - offset)));
        }

        Assert.Equal(1f, signal[3]);
        for (var k = 1; k <= 4; k++)
        {
            Assert.Equal(0.8f * MathF.Pow(0.5f, k - 1), signal[3 + 80 * k], 6);
        }
        var echoes = Enumerable.Range(0, signal.Length).Where(n => signal[n] != 0).ToArray();
        Assert.Equal([3, 83, 163, 243, 323], echoes);
    }

    [Fact]
    public void ARewindWithinItsMarginFindsTheLineAsItWas()
    {
        var source = new NoiseSource(NoiseColor.White, 48_000, seed: 5).Through(AudioChain.PassThrough.Echo(0.25, 0.7, 0.5));
        // Half a second rendered past the checkpoint: the line still holds what the delay needs there.
        Reference.AssertRestoredRendersTheSame(Assert.IsAssignableFrom<IRewindableSource>(source), warmUp: 30_000, length: 24_000);
    }

    [Fact]
    public void ItsSettingsAreChecked()
    {
        Assert.Contains("delaySeconds", Assert.Throws<ArgumentOutOfRangeException>(() => AudioChain.PassThrough.Echo(0)).Message);
        Assert.Contains("feedback", Assert.Throws<ArgumentOutOfRangeException>(() => AudioChain.PassThrough.Echo(0.1, 1.2)).Message);
        Assert.Contains("mix", Assert.Throws<ArgumentOutOfRangeException>(() => AudioChain.PassThrough.Echo(0.1, 0.5, -1)).Message);
        Assert.Equal("echo 250 ms", AudioChain.PassThrough.Echo(0.25).ToString());
    }
}
