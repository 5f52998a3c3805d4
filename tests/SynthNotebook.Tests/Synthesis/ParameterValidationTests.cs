using System.Globalization;
using System.Text.RegularExpressions;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// Every invalid parameter is refused with an <see cref="ArgumentOutOfRangeException"/> whose ParamName names the
/// parameter and whose own message (the first line, before the framework's "Actual value was …") states the
/// offending value and the allowed range; a refused change publishes nothing.
/// </summary>
public class ParameterValidationTests
{
    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary><paramref name="number"/> occurs in <paramref name="text"/> as a whole number (not as part of "-1" or "10").</summary>
    private static bool ContainsNumber(string text, string number)
        => Regex.IsMatch(text, $@"(?<![\w.\-]){Regex.Escape(number)}(?![\w.]*\d)");

    private static ArgumentOutOfRangeException AssertRejected(Action action, string parameter, string value, string min, string max)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(action);
        Assert.Equal(parameter, ex.ParamName);
        var ownMessage = ex.Message.Split('\n')[0];
        Assert.True(ContainsNumber(ownMessage, value), $"'{ownMessage}' should state the value {value}");
        Assert.True(ContainsNumber(ownMessage, min), $"'{ownMessage}' should state the lower limit {min}");
        Assert.True(ContainsNumber(ownMessage, max), $"'{ownMessage}' should state the upper limit {max}");
        Assert.Contains(parameter, ownMessage);
        return ex;
    }

    private static void AssertUnchanged(Synth synth, SynthParameters before)
        => Assert.Same(before, synth.Parameters);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-1.0)]
    [InlineData(-1e-9)]
    [InlineData(22_050.5)]
    [InlineData(30_000.0)]
    public void InvalidFrequencyIsRejected(double frequency)
    {
        var synth = new Synth();
        var before = synth.Parameters;
        AssertRejected(() => synth.SetFrequency(0, frequency), "frequency", Text(frequency), "0", "22050");
        AssertRejected(() => synth.Set(1, frequency, 0.5), "frequency", Text(frequency), "0", "22050");
        AssertUnchanged(synth, before);

        AssertRejected(() => _ = new Synth([200, frequency]), "frequency", Text(frequency), "0", "22050");
        AssertRejected(() => _ = new Synth(3, lowestFrequency: frequency), "lowestFrequency", Text(frequency), "0", "22050");
        AssertRejected(() => _ = new Synth(3, highestFrequency: frequency), "highestFrequency", Text(frequency), "0", "22050");
    }

    [Theory]
    [InlineData(24_000.5, 48_000)]
    [InlineData(4_001, 8_000)]
    public void NyquistLimitFollowsTheSynthSampleRate(double frequency, int sampleRate)
    {
        var max = Text(sampleRate / 2);
        var synth = new Synth(sampleRate: sampleRate);
        Assert.Equal(sampleRate / 2.0, synth.MaxFrequency);
        synth.SetFrequency(0, sampleRate / 2.0); // the limit itself is allowed
        AssertRejected(() => synth.SetFrequency(0, frequency), "frequency", Text(frequency), "0", max);
        AssertRejected(() => _ = new Synth([frequency], sampleRate), "frequency", Text(frequency), "0", max);
        AssertRejected(() => _ = new Synth(2, 100, frequency, sampleRate), "highestFrequency", Text(frequency), "0", max);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void InvalidAmplitudeIsRejected(double amplitude)
    {
        var synth = new Synth();
        var before = synth.Parameters;
        AssertRejected(() => synth.SetAmplitude(2, amplitude), "amplitude", Text(amplitude), "0", "1");
        AssertRejected(() => synth.Set(2, 300, amplitude), "amplitude", Text(amplitude), "0", "1");
        AssertUnchanged(synth, before);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.1)]
    [InlineData(4.5)]
    [InlineData(1e300)]
    public void InvalidGainIsRejected(double gain)
    {
        var synth = new Synth();
        var before = synth.Parameters;
        AssertRejected(() => synth.Gain = gain, nameof(Synth.Gain), Text(gain), "0", Text(SynthLimits.MaxGain));
        AssertUnchanged(synth, before);
        Assert.Equal(1.0, synth.Gain);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-44_100)]
    [InlineData(2_999)]
    [InlineData(768_001)]
    [InlineData(int.MinValue)]
    public void InvalidSampleRateIsRejected(int sampleRate)
    {
        const string Min = "3000", Max = "768000";
        AssertRejected(() => _ = new Synth(sampleRate: sampleRate), "sampleRate", sampleRate.ToString(CultureInfo.InvariantCulture), Min, Max);
        AssertRejected(() => _ = new Synth([100.0], sampleRate), "sampleRate", sampleRate.ToString(CultureInfo.InvariantCulture), Min, Max);
        var synth = new Synth();
        AssertRejected(() => synth.CreateVoice(sampleRate), "sampleRate", sampleRate.ToString(CultureInfo.InvariantCulture), Min, Max);
        AssertRejected(() => synth.RenderSeconds(0.1, sampleRate), "sampleRate", sampleRate.ToString(CultureInfo.InvariantCulture), Min, Max);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4_096)]
    [InlineData(15)]
    [InlineData(65_537)]
    public void InvalidBlockSizeIsRejected(int blockSize)
        => AssertRejected(() => _ = new Synth(blockSize: blockSize), "blockSize", blockSize.ToString(CultureInfo.InvariantCulture), "16", "65536");

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void InvalidComponentIndexIsRejected(int component)
    {
        var synth = new Synth();
        var before = synth.Parameters;
        var value = component.ToString(CultureInfo.InvariantCulture);
        AssertRejected(() => synth.SetFrequency(component, 300), "component", value, "0", "4");
        AssertRejected(() => synth.SetAmplitude(component, 0.5), "component", value, "0", "4");
        AssertRejected(() => synth.Set(component, 300, 0.5), "component", value, "0", "4");
        AssertRejected(() => synth.GetFrequency(component), "component", value, "0", "4");
        AssertRejected(() => synth.GetAmplitude(component), "component", value, "0", "4");
        AssertUnchanged(synth, before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4_097)]
    public void InvalidComponentCountIsRejected(int componentCount)
        => AssertRejected(() => _ = new Synth(componentCount), "componentCount", componentCount.ToString(CultureInfo.InvariantCulture), "1", "4096");

    [Fact]
    public void EmptyFrequencyListIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Synth(Array.Empty<double>()));
        Assert.NotNull(ex.ParamName);
        Assert.StartsWith("frequencies", ex.ParamName);
        Assert.Contains("[1, 4096]", ex.Message);
        Assert.Throws<ArgumentNullException>(() => new Synth((IReadOnlyList<double>)null!));
    }

    [Theory]
    [InlineData(-1.0, "-0.001")]
    [InlineData(-1000.0, "-1")]
    [InlineData(10_001.0, "10.001")]
    public void InvalidRampIsRejected(double milliseconds, string valueInSeconds)
        => AssertRejected(() => _ = new Synth(ramp: TimeSpan.FromMilliseconds(milliseconds)), "ramp", valueInSeconds, "0", "10");

    [Fact]
    public void LimitsThemselvesAreAccepted()
    {
        var synth = new Synth(SynthLimits.MaxComponents, 0, SynthLimits.MinSampleRate / 2.0, SynthLimits.MinSampleRate,
            SynthLimits.MinBlockSize, TimeSpan.Zero);
        synth.Gain = SynthLimits.MaxGain;
        synth.Gain = 0;
        synth.Set(0, 0, 0);
        synth.Set(SynthLimits.MaxComponents - 1, synth.MaxFrequency, SynthLimits.MaxAmplitude);
        _ = synth.CreateVoice(SynthLimits.MaxSampleRate);
        _ = new Synth(1, sampleRate: SynthLimits.MaxSampleRate, blockSize: SynthLimits.MaxBlockSize, ramp: SynthLimits.MaxRamp);
        Assert.Equal(4, synth.Parameters.Version);
    }

    [Fact]
    public void InvalidSkipIsRejected()
    {
        var voice = new Synth().CreateVoice();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => voice.Skip(-1));
        Assert.Equal("sampleCount", ex.ParamName);
        Assert.Contains("-1", ex.Message.Split('\n')[0]);
        Assert.Equal(0, voice.Position);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(-1.0, "-1")]
    [InlineData(3_601.0, "3601")]
    public void InvalidRenderDurationIsRejected(double seconds, string value)
        => AssertRejected(() => new Synth().RenderSeconds(seconds), "seconds", value, "0", "3600");

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(100_001)]
    public void InvalidBlockCountIsRejected(int count)
        => AssertRejected(() => new Synth().RenderBlocks(count), "count", count.ToString(CultureInfo.InvariantCulture), "1", "100000");

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => OfflineRendering.RenderSeconds(null!, 1));
        Assert.Throws<ArgumentNullException>(() => OfflineRendering.RenderBlocks(null!, 1));
        Assert.Throws<ArgumentNullException>(() => WavFile.Write((Stream)null!, new float[1], 44_100));
        Assert.ThrowsAny<ArgumentException>(() => WavFile.Write("", new float[1], 44_100));
    }
}
