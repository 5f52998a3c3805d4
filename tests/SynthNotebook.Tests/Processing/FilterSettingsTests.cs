using SynthNotebook.Processing;

namespace SynthNotebook.Tests.Processing;

/// <summary>Filter settings refuse values the cookbook's formulas cannot take, naming the property, and keep the old value.</summary>
public class FilterSettingsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-100.0)]
    [InlineData(0.5)]
    [InlineData(96_000.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidFrequencyIsRejectedNamingFrequency(double frequency)
    {
        var settings = new FilterSettings(FilterType.LowPass, 500);

        var fromSetter = Assert.Throws<ArgumentOutOfRangeException>(() => settings.Frequency = frequency);
        var fromConstructor = Assert.Throws<ArgumentOutOfRangeException>(() => new FilterSettings(FilterType.HighPass, frequency));
        var fromChain = Assert.Throws<ArgumentOutOfRangeException>(() => AudioChain.PassThrough.LowPass(frequency));

        foreach (var ex in new[] { fromSetter, fromConstructor, fromChain })
        {
            Assert.Equal(nameof(FilterSettings.Frequency), ex.ParamName);
            Assert.Contains("Frequency", ex.Message.Split('\n')[0]);
            Assert.Contains("[1, 96000]", ex.Message.Split('\n')[0]);
        }
        Assert.Equal(500, settings.Frequency);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.099)]
    [InlineData(50.01)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void QOutsideTenthToFiftyIsRejectedNamingQ(double q)
    {
        var settings = new FilterSettings(FilterType.BandPass, 1000, 2);

        var fromSetter = Assert.Throws<ArgumentOutOfRangeException>(() => settings.Q = q);
        var fromConstructor = Assert.Throws<ArgumentOutOfRangeException>(() => new FilterSettings(FilterType.BandPass, 1000, q));
        var fromChain = Assert.Throws<ArgumentOutOfRangeException>(() => AudioChain.PassThrough.BandPass(1000, q));

        foreach (var ex in new[] { fromSetter, fromConstructor, fromChain })
        {
            Assert.Equal(nameof(FilterSettings.Q), ex.ParamName);
            Assert.StartsWith("Q must be", ex.Message);
            Assert.Contains("[0.1, 50]", ex.Message.Split('\n')[0]);
        }
        Assert.Equal(2, settings.Q);
    }

    [Theory]
    [InlineData(1.0, 0.1)]
    [InlineData(96_000.0, 50.0)]
    public void SettingsAtTheEndsOfTheRangesAreAccepted(double frequency, double q)
    {
        var settings = new FilterSettings(FilterType.LowPass, 500) { Frequency = frequency, Q = q };

        Assert.Equal(frequency, settings.Frequency);
        Assert.Equal(q, settings.Q);
    }

    [Fact]
    public void UndefinedFilterTypeIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FilterSettings((FilterType)7, 500));

        Assert.Equal("type", ex.ParamName);
    }
}
