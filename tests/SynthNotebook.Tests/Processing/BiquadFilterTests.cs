using SynthNotebook.Processing;

namespace SynthNotebook.Tests.Processing;

/// <summary>
/// The biquads' steady-state response equals the Audio EQ Cookbook's transfer function, evaluated here from the
/// cookbook's formulas; a change of settings glides to the new response without a step.
/// </summary>
public class BiquadFilterTests
{
    private const int Rate = 48_000;
    private const int Settle = Rate / 10;          // 0.1 s of transient skipped
    private const int Window = Rate - Settle;      // 0.9 s: whole cycles of every test frequency below

    public static TheoryData<FilterType, double, double, double> ResponsePoints => new()
    {
        { FilterType.LowPass, 500, FilterSettings.ButterworthQ, 100 },
        { FilterType.LowPass, 500, FilterSettings.ButterworthQ, 500 },
        { FilterType.LowPass, 500, FilterSettings.ButterworthQ, 5000 },
        { FilterType.LowPass, 2000, 4, 2000 },
        { FilterType.HighPass, 1000, FilterSettings.ButterworthQ, 100 },
        { FilterType.HighPass, 1000, FilterSettings.ButterworthQ, 1000 },
        { FilterType.HighPass, 1000, FilterSettings.ButterworthQ, 5000 },
        { FilterType.BandPass, 1000, 1, 1000 },
        { FilterType.BandPass, 1000, 1, 250 },
        { FilterType.BandPass, 1000, 5, 2000 },
    };

    [Theory]
    [MemberData(nameof(ResponsePoints))]
    public void SteadyStateGainMatchesTheCookbookTransferFunction(FilterType type, double corner, double q, double frequency)
    {
        // Arrange
        var input = Signals.Sine(frequency, Rate, Rate, amplitude: 0.5);
        var filter = AudioChain.PassThrough.Filter(new FilterSettings(type, corner, q)).Create(Rate);

        // Act
        var output = Signals.ProcessInBlocks(filter, (float[])input.Clone(), 512);

        // Assert
        var measuredDb = Signals.Decibels(Signals.Amplitude(output, frequency, Rate, Settle, Window)
            / Signals.Amplitude(input, frequency, Rate, Settle, Window));
        var expectedDb = Signals.Decibels(Signals.CookbookMagnitude(type, corner, q, frequency, Rate));
        Assert.True(Math.Abs(measuredDb - expectedDb) <= 0.1,
            $"{type} {corner} Hz (Q {q}) at {frequency} Hz: measured {measuredDb:F3} dB, the cookbook says {expectedDb:F3} dB.");
    }

    [Theory]
    [InlineData(FilterType.LowPass, 500, 0.7071067811865476, 5000, double.NegativeInfinity, -30)]
    [InlineData(FilterType.LowPass, 500, 0.7071067811865476, 100, -0.1, 0.1)]
    [InlineData(FilterType.HighPass, 1000, 0.7071067811865476, 100, double.NegativeInfinity, -30)]
    [InlineData(FilterType.HighPass, 1000, 0.7071067811865476, 10000, -0.1, 0.1)]
    [InlineData(FilterType.BandPass, 1000, 1, 1000, -0.1, 0.1)]
    public void FiltersPassAndStopWhereTheyShould(FilterType type, double corner, double q, double frequency, double minDb, double maxDb)
    {
        var input = Signals.Sine(frequency, Rate, Rate);
        var filter = new BiquadFilter(new FilterSettings(type, corner, q), Rate);

        var output = Signals.ProcessInBlocks(filter, (float[])input.Clone(), 480);

        var gainDb = Signals.Decibels(Signals.Amplitude(output, frequency, Rate, Settle, Window)
            / Signals.Amplitude(input, frequency, Rate, Settle, Window));
        Assert.InRange(gainDb, minDb, maxDb);
    }

    [Fact]
    public void ChainShorthandsMakeTheFiltersTheyName()
    {
        var input = Signals.Noise(4800, seed: 5);

        var lowPass = Signals.ProcessInBlocks(AudioChain.PassThrough.LowPass(700).Create(Rate), (float[])input.Clone(), 256);
        var highPass = Signals.ProcessInBlocks(AudioChain.PassThrough.HighPass(700, q: 2).Create(Rate), (float[])input.Clone(), 256);
        var bandPass = Signals.ProcessInBlocks(AudioChain.PassThrough.BandPass(700).Create(Rate), (float[])input.Clone(), 256);

        Assert.Equal(Direct(FilterType.LowPass, 700, FilterSettings.ButterworthQ), lowPass);
        Assert.Equal(Direct(FilterType.HighPass, 700, 2), highPass);
        Assert.Equal(Direct(FilterType.BandPass, 700, 1), bandPass);
        Assert.NotEqual(lowPass, highPass);

        float[] Direct(FilterType type, double frequency, double q)
            => Signals.ProcessInBlocks(new BiquadFilter(new FilterSettings(type, frequency, q), Rate), (float[])input.Clone(), 256);
    }

    [Fact]
    public void AFrequencyChangeGlidesToTheNewResponseWithoutAStep()
    {
        // Arrange: a 2 kHz sine through a 500 Hz low-pass (about −24 dB), then the corner moves to 5 kHz (about 0 dB).
        const double Tone = 2000;
        const int Change = Rate / 2;                    // a block boundary and a multiple of the filter's 32-sample step
        const int OneMs = Rate / 1000;                  // two whole cycles of the tone
        var input = Signals.Sine(Tone, Rate, Rate);
        var settings = new FilterSettings(FilterType.LowPass, 500);
        var filter = AudioChain.PassThrough.Filter(settings).Create(Rate);
        var output = (float[])input.Clone();

        // Act
        for (var offset = 0; offset < Rate; offset += 480)
        {
            if (offset == Change)
            {
                settings.Frequency = 5000;
            }
            filter.Process(output.AsSpan(offset, 480));
        }

        // Assert
        var inputAmplitude = Signals.Amplitude(input, Tone, Rate, Settle, Window);
        var before = Signals.Amplitude(output, Tone, Rate, Change - Rate / 10, Rate / 10) / inputAmplitude;
        Assert.InRange(Signals.Decibels(before) - Signals.Decibels(Signals.CookbookMagnitude(FilterType.LowPass, 500, FilterSettings.ButterworthQ, Tone, Rate)), -0.1, 0.1);

        var newSteady = Signals.CookbookMagnitude(FilterType.LowPass, 5000, FilterSettings.ButterworthQ, Tone, Rate) * inputAmplitude;
        var firstMillisecond = output.AsSpan(Change, OneMs).ToArray().Max(Math.Abs);
        Assert.True(firstMillisecond < 0.5 * newSteady,
            $"1 ms after the change the output peaks at {firstMillisecond:F4}; it should still be far below the new {newSteady:F4}.");

        var settled = Signals.Amplitude(output, Tone, Rate, Change + Rate / 10, Rate / 10);
        Assert.InRange(Signals.Decibels(settled / newSteady), -0.5, 0.5);

        var inputStep = Signals.MaxStep(input, Change - 480, Change + Rate / 10);
        var outputStep = Signals.MaxStep(output, Change - 480, Change + Rate / 10);
        Assert.True(outputStep <= 1.5 * inputStep,
            $"The largest sample-to-sample step around the change is {outputStep:F4}; the input's is {inputStep:F4}.");
    }

    [Fact]
    public void FrequenciesAboveTheStreamsLimitAreClampedNotUnstable()
    {
        // 20 kHz is above an 8 kHz stream's Nyquist frequency: the filter clamps it (0.45 × rate) and stays finite.
        var settings = new FilterSettings(FilterType.LowPass, 20_000);
        var filter = new BiquadFilter(settings, 8000);

        var output = Signals.ProcessInBlocks(filter, Signals.Noise(8000, seed: 6), 256);

        Assert.All(output, sample => Assert.True(float.IsFinite(sample) && Math.Abs(sample) < 4, $"sample {sample}"));
    }
}
