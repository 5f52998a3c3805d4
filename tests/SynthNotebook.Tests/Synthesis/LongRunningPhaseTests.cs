using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// A voice that has played for a very long time is as exact as a new one: after skipping ~10^10.6 samples (about
/// 11 days at 44.1 kHz) its output matches a reference whose phase is computed exactly in integers,
/// phase = ((f·n) mod fs) / fs.
/// </summary>
public class LongRunningPhaseTests
{
    private const int Block = Synth.DefaultBlockSize;
    private const long LongSkip = 10_000_000L * Block;
    private const double Tolerance = 1e-6;
    private static readonly int[] DefaultFrequencies = [200, 250, 300, 350, 400];

    [Theory]
    [InlineData(44_100, 0L)]
    [InlineData(44_100, LongSkip)]
    [InlineData(44_100, LongSkip + 12_345)]
    [InlineData(48_000, LongSkip)]
    [InlineData(48_000, 100_000_000_000L)]
    [InlineData(8_000, LongSkip + 1)]
    public void SkipThenReadMatchesExactIntegerPhase(int voiceRate, long skip)
    {
        var voice = new Synth().CreateVoice(voiceRate);
        voice.Skip(skip);
        Assert.Equal(skip, voice.Position);

        var actual = Reference.Read(voice, Block);
        var expected = Reference.ExactIntegerSum(DefaultFrequencies, voiceRate, skip, Block);

        Assert.InRange(Reference.MaxAbsDiff(actual, expected), 0, Tolerance);
        Assert.Equal(skip + Block, voice.Position);
    }

    [Fact]
    public void NonBinaryFrequenciesStayExactAfterALongSkip()
    {
        // 261/44100, 439/44100, ... have no finite binary expansion: the skip must not lose more than the rounding
        // of the increment itself already does (≈ 3e-7 cycles here).
        int[] frequencies = [1, 261, 439, 1_000, 3_001];
        var voice = new Synth([.. frequencies.Select(f => (double)f)]).CreateVoice();
        voice.Skip(LongSkip + 777);
        var actual = Reference.Read(voice, Block);
        var expected = Reference.ExactIntegerSum(frequencies, Synth.DefaultSampleRate, LongSkip + 777, Block);
        Assert.InRange(Reference.MaxAbsDiff(actual, expected), 0, Tolerance);
    }

    /// <summary>
    /// At 32768 Hz every integer frequency has an exact binary increment f/2^15, so the exact phase is attainable
    /// even after 10^12 samples, where n·f exceeds 2^53 and a plain n·increment in double would be ~1e-4 cycles off.
    /// </summary>
    [Theory]
    [InlineData(1_000_000_000_000L)]
    [InlineData(1_000_000_000_000L + 123_457)]
    [InlineData(LongSkip)]
    public void DyadicIncrementsStayExactAfterAnEnormousSkip(long skip)
    {
        int[] frequencies = [1, 7_777, 9_999, 12_345, 16_383];
        const int VoiceRate = 32_768;
        var voice = new Synth([.. frequencies.Select(f => (double)f)]).CreateVoice(VoiceRate);
        voice.Skip(skip);
        var actual = Reference.Read(voice, Block);
        var expected = Reference.ExactIntegerSum(frequencies, VoiceRate, skip, Block);
        Assert.InRange(Reference.MaxAbsDiff(actual, expected), 0, Tolerance);
        Assert.Equal(skip + Block, voice.Position);
    }

    /// <summary>
    /// For high frequencies the double increment f/fs itself is off by up to half an ulp (≈ 2.8e-17 cycles per
    /// sample at 17 kHz), which after 4·10^10 samples is ≈ 1e-6 cycles: a limitation of a double increment, not of
    /// the skip. The error must stay within that drift and must not grow beyond it.
    /// </summary>
    [Fact]
    public void HighFrequenciesDriftNoMoreThanTheIncrementRoundingImplies()
    {
        int[] frequencies = [4_409, 9_999, 12_345, 17_077, 22_049];
        var voice = new Synth([.. frequencies.Select(f => (double)f)]).CreateVoice();
        const long Start = LongSkip + 777;
        voice.Skip(Start);
        var actual = Reference.Read(voice, Block);
        var expected = Reference.ExactIntegerSum(frequencies, Synth.DefaultSampleRate, Start, Block);

        var drift = 0.0;
        foreach (var f in frequencies)
        {
            var increment = (double)f / Synth.DefaultSampleRate;
            var halfUlp = (Math.BitIncrement(increment) - increment) / 2;
            drift += 2 * Math.PI * (Start + Block) * halfUlp / frequencies.Length;
        }
        Assert.InRange(Reference.MaxAbsDiff(actual, expected), 0, Tolerance + drift);
    }

    [Fact]
    public void RenderThousandBlocksThenSkipThenRead()
    {
        var voice = new Synth().CreateVoice();
        var block = new float[Block];
        for (var b = 0; b < 1000; b++)
        {
            voice.Read(block);
        }
        Assert.Equal(1000L * Block, voice.Position);
        // The thousandth block itself is still exact.
        var start = 999L * Block;
        Assert.InRange(Reference.MaxAbsDiff(block, Reference.ExactIntegerSum(DefaultFrequencies, Synth.DefaultSampleRate, start, Block)), 0, Tolerance);

        voice.Skip(LongSkip);
        var actual = Reference.Read(voice, Block);
        var position = 1000L * Block + LongSkip;
        Assert.Equal(position + Block, voice.Position);
        Assert.InRange(Reference.MaxAbsDiff(actual, Reference.ExactIntegerSum(DefaultFrequencies, Synth.DefaultSampleRate, position, Block)), 0, Tolerance);

        // And reading on afterwards, in odd chunks, stays exact.
        var more = new float[3 * Block];
        Reference.ReadInChunks(voice, more, [1, 4095, 333]);
        Assert.InRange(Reference.MaxAbsDiff(more, Reference.ExactIntegerSum(DefaultFrequencies, Synth.DefaultSampleRate, position + Block, more.Length)), 0, Tolerance);
    }

    [Fact]
    public void ManySkipsAddUp()
    {
        var voice = new Synth().CreateVoice(48_000);
        long total = 0;
        var random = new Random(42);
        for (var i = 0; i < 1000; i++)
        {
            var skip = random.NextInt64(0, 100_000_000L);
            voice.Skip(skip);
            total += skip;
            if (i % 100 == 0)
            {
                var probe = Reference.Read(voice, 17);
                Assert.InRange(Reference.MaxAbsDiff(probe, Reference.ExactIntegerSum(DefaultFrequencies, 48_000, total, 17)), 0, Tolerance);
                total += 17;
            }
        }
        voice.Skip(0);
        Assert.Equal(total, voice.Position);
        var actual = Reference.Read(voice, Block);
        Assert.InRange(Reference.MaxAbsDiff(actual, Reference.ExactIntegerSum(DefaultFrequencies, 48_000, total, Block)), 0, Tolerance);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(300)]       // shorter than the glide: Skip must finish it by rendering
    [InlineData(1_000_003)]
    public void SkipEqualsReadingThroughEvenDuringAGlide(int skip)
    {
        var synth = new Synth();
        var skipper = synth.CreateVoice();
        var reader = synth.CreateVoice();
        skipper.Read(new float[Block]);
        reader.Read(new float[Block]);

        synth.SetFrequency(0, 1000);
        synth.SetAmplitude(2, 0.3);
        synth.Gain = 2;

        skipper.Skip(skip);
        var discard = new float[Block];
        var remaining = skip;
        while (remaining > 0)
        {
            var length = Math.Min(remaining, Block);
            reader.Read(discard.AsSpan(0, length));
            remaining -= length;
        }
        Assert.Equal(reader.Position, skipper.Position);

        var skipped = Reference.Read(skipper, 2 * Block);
        var read = Reference.Read(reader, 2 * Block);
        Assert.InRange(Reference.MaxAbsDiff(skipped, read), 0, Tolerance);
        Assert.Equal(synth.Parameters.Version, skipper.ParametersVersion);
    }

    [Fact]
    public void PositionCountsReadsAndSkips()
    {
        var voice = new Synth().CreateVoice();
        Assert.Equal(0, voice.Position);
        voice.Read(new float[100]);
        voice.Read(Span<float>.Empty);
        voice.Skip(LongSkip);
        voice.Read(new float[1]);
        voice.Skip(5);
        Assert.Equal(100 + LongSkip + 1 + 5, voice.Position);
    }
}
