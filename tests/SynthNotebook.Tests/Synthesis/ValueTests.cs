using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>A fresh voice renders exactly Σ a_k·sin(2π f_k n / fs) · gain / N, computed here in double.</summary>
public class ValueTests
{
    private const double Tolerance = 1e-6;
    private const int Count = 3 * Synth.DefaultBlockSize + 17;

    private static readonly double[] DefaultFrequencies = [200, 250, 300, 350, 400];
    private static readonly double[] Ones = [1, 1, 1, 1, 1];

    [Theory]
    [InlineData(null)]
    [InlineData(44_100)]
    [InlineData(48_000)]
    [InlineData(8_000)]
    [InlineData(192_000)]
    public void FreshDefaultVoiceMatchesTheFormula(int? voiceRate)
    {
        var synth = new Synth();
        var voice = synth.CreateVoice(voiceRate);
        var rate = voiceRate ?? Synth.DefaultSampleRate;
        Assert.Equal(rate, voice.SampleRate);
        Assert.Equal(5, synth.ComponentCount);
        Assert.Equal(DefaultFrequencies, Enumerable.Range(0, 5).Select(synth.GetFrequency));

        var actual = Reference.Read(voice, Count);
        var expected = Reference.SumOfSines(DefaultFrequencies, Ones, 1.0, rate, 0, Count);

        Assert.InRange(Reference.MaxAbsDiff(actual, expected), 0, Tolerance);
    }

    [Theory]
    [InlineData(44_100)]
    [InlineData(48_000)]
    public void VoiceCreatedAfterChangesMatchesTheFormulaWithAmplitudesAndGain(int voiceRate)
    {
        double[] frequencies = [27.5, 261.63, 440, 1000, 3520.25, 0];
        double[] amplitudes = [0.3, 1, 0.5, 0, 0.8, 1];
        var synth = new Synth([100, 100, 100, 100, 100, 100]);
        for (var k = 0; k < frequencies.Length; k++)
        {
            synth.Set(k, frequencies[k], amplitudes[k]);
        }
        synth.Gain = 2.5;

        var voice = synth.CreateVoice(voiceRate);
        var actual = Reference.Read(voice, Count);
        var expected = Reference.SumOfSines(frequencies, amplitudes, 2.5, voiceRate, 0, Count);

        Assert.InRange(Reference.MaxAbsDiff(actual, expected), 0, Tolerance);
    }

    [Theory]
    [InlineData(29)]    // 12 + 12 + 4 + 1: every width of recurrence the bank has, on a CPU with 512-bit vectors
    [InlineData(500)]
    public void ManyComponentsMatchTheFormulaWhateverTheRecurrencesTheyAreGroupedInto(int count)
    {
        var frequencies = Enumerable.Range(0, count).Select(i => 30 + 37.3 * i % 15_000).ToArray();
        var amplitudes = Enumerable.Range(0, count).Select(i => 0.25 + i % 4 * 0.25).ToArray();
        var synth = new Synth(frequencies, sampleRate: 48_000);
        for (var i = 0; i < count; i++)
        {
            synth.SetAmplitude(i, amplitudes[i]);
        }
        var voice = synth.CreateVoice();
        Reference.Read(voice, 1000);   // past the glides of the changes, and off a block's start

        var actual = Reference.Read(voice, 3 * 4096 + 77);
        var expected = Reference.SumOfSines(frequencies, amplitudes, 1.0, 48_000, 1000, actual.Length);

        Assert.InRange(Reference.MaxAbsDiff(actual, expected), 0, Tolerance);
    }

    [Fact]
    public void SingleComponentIsAPlainSine()
    {
        var synth = new Synth([441.0], sampleRate: 44_100);
        var actual = Reference.Read(synth.CreateVoice(), 200);
        // 441 Hz at 44100 Hz: exactly 100 samples per cycle.
        for (var n = 0; n < actual.Length; n++)
        {
            Assert.Equal(Math.Sin(2 * Math.PI * n / 100), actual[n], Tolerance);
        }
        Assert.Equal(0f, actual[0]);
        Assert.Equal(1.0, actual[25], Tolerance);
        Assert.Equal(-1.0, actual[75], Tolerance);
    }

    [Fact]
    public void OfflineRenderingMatchesTheFormula()
    {
        var synth = new Synth(sampleRate: 48_000);

        var seconds = synth.RenderSeconds(0.25);
        Assert.Equal(12_000, seconds.Length);
        Assert.InRange(Reference.MaxAbsDiff(seconds, Reference.SumOfSines(DefaultFrequencies, Ones, 1, 48_000, 0, 12_000)), 0, Tolerance);

        var at22050 = synth.RenderSeconds(0.5, 22_050);
        Assert.Equal(11_025, at22050.Length);
        Assert.InRange(Reference.MaxAbsDiff(at22050, Reference.SumOfSines(DefaultFrequencies, Ones, 1, 22_050, 0, 11_025)), 0, Tolerance);

        var blocks = synth.RenderBlocks(3);
        Assert.Equal(3 * synth.BlockSize, blocks.Length);
        Assert.InRange(Reference.MaxAbsDiff(blocks, Reference.SumOfSines(DefaultFrequencies, Ones, 1, 48_000, 0, blocks.Length)), 0, Tolerance);
    }

    [Fact]
    public void EachOfflineRenderStartsAtPhaseZero()
    {
        var synth = new Synth();
        var first = synth.RenderSeconds(0.1);
        var second = synth.RenderSeconds(0.1);
        Assert.Equal(first, second);
    }

    [Fact]
    public void ZeroGainIsSilence()
    {
        var synth = new Synth { Gain = 0 };
        Assert.All(Reference.Read(synth.CreateVoice(), Count), s => Assert.Equal(0f, s));
    }
}
