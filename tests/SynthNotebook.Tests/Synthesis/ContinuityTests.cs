using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// How a voice's output is cut into Read calls must not matter: K blocks read one by one equal one span of the
/// same length, for any chunking, and also across parameter changes (the glide state carries over between calls).
/// </summary>
public class ContinuityTests
{
    private const int Block = Synth.DefaultBlockSize;
    private const int K = 8;
    private const double Tolerance = 1e-6;

    [Fact]
    public void BlocksReadOneByOneEqualOneSpan()
    {
        var synth = new Synth();
        var blockVoice = synth.CreateVoice();
        var spanVoice = synth.CreateVoice();

        var blocks = new float[K * Block];
        for (var b = 0; b < K; b++)
        {
            Assert.Equal(Block, blockVoice.Read(blocks.AsSpan(b * Block, Block)));
        }
        var span = Reference.Read(spanVoice, K * Block);

        Assert.True(Reference.MaxAbs(span) > 0.5, "the signal under test should not be silent");
        Assert.InRange(Reference.MaxAbsDiff(blocks, span), 0, Tolerance);
        Assert.Equal(K * Block, blockVoice.Position);
        Assert.Equal(K * Block, spanVoice.Position);
    }

    [Fact]
    public void OfflineBlockRenderingEqualsOneSpan()
    {
        var synth = new Synth();
        var blocks = synth.RenderBlocks(K);
        var span = Reference.Read(synth.CreateVoice(), K * Block);
        Assert.InRange(Reference.MaxAbsDiff(blocks, span), 0, Tolerance);

        var glued = synth.GlueTwoBlocks();
        Assert.Equal(2 * Block, glued.Length);
        Assert.InRange(Reference.MaxAbsDiff(glued, span.AsSpan(0, 2 * Block)), 0, Tolerance);
    }

    [Theory]
    [InlineData(44_100, new[] { 1 })]
    [InlineData(44_100, new[] { 7 })]
    [InlineData(44_100, new[] { 1000 })]
    [InlineData(44_100, new[] { 4095 })]
    [InlineData(44_100, new[] { 1, 7, 1000, 4095 })]
    [InlineData(44_100, new[] { 3, 16, 1023, 1025, 4097, 2 })]
    [InlineData(48_000, new[] { 1, 7, 1000, 4095 })]
    [InlineData(8_000, new[] { 5, 333, 1024, 1 })]
    public void OddChunkingsEqualOneSpan(int sampleRate, int[] chunks)
    {
        var synth = new Synth(new[] { 200.0, 261.63, 300, 349.2, 1234.5 });
        var chunkVoice = synth.CreateVoice(sampleRate);
        var spanVoice = synth.CreateVoice(sampleRate);

        var chunked = new float[K * Block];
        Reference.ReadInChunks(chunkVoice, chunked, chunks);
        var span = Reference.Read(spanVoice, K * Block);

        Assert.InRange(Reference.MaxAbsDiff(chunked, span), 0, Tolerance);
        Assert.Equal(span.Length, chunkVoice.Position);
    }

    public enum Change
    {
        Frequency,
        Amplitude,
        Gain,
        FrequencyAndAmplitude,
        Everything,
    }

    private static void Apply(Synth synth, Change change)
    {
        switch (change)
        {
            case Change.Frequency:
                synth.SetFrequency(0, 1000);
                break;
            case Change.Amplitude:
                synth.SetAmplitude(2, 0.1);
                break;
            case Change.Gain:
                synth.Gain = 3.5;
                break;
            case Change.FrequencyAndAmplitude:
                synth.Set(4, 123.4, 0.6);
                break;
            case Change.Everything:
                synth.SetFrequency(0, 1000);
                synth.SetFrequency(1, 55);
                synth.SetAmplitude(2, 0);
                synth.Set(3, 2000, 0.3);
                synth.Gain = 0.25;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }
    }

    /// <summary>
    /// Voice A reads block 1, the parameters change, A reads blocks 2..K one by one (or in odd chunks);
    /// voice B reads block 1, then blocks 2..K in one call. Both glide identically.
    /// </summary>
    [Theory]
    [InlineData(Change.Frequency, 4096)]
    [InlineData(Change.Amplitude, 4096)]
    [InlineData(Change.Gain, 4096)]
    [InlineData(Change.FrequencyAndAmplitude, 4096)]
    [InlineData(Change.Everything, 4096)]
    [InlineData(Change.Everything, 7)]
    [InlineData(Change.Gain, 1)]
    [InlineData(Change.Frequency, 100)]
    public void ContinuityAcrossChanges(Change change, int chunkAfterChange)
    {
        var synth = new Synth();
        var a = synth.CreateVoice();
        var b = synth.CreateVoice();
        var untouched = new Synth().CreateVoice();

        var outA = new float[K * Block];
        var outB = new float[K * Block];
        a.Read(outA.AsSpan(0, Block));
        b.Read(outB.AsSpan(0, Block));
        untouched.Read(new float[Block]);

        Apply(synth, change);

        Reference.ReadInChunks(a, outA.AsSpan(Block), [chunkAfterChange]);
        Assert.Equal((K - 1) * Block, b.Read(outB.AsSpan(Block)));

        Assert.InRange(Reference.MaxAbsDiff(outA, outB), 0, Tolerance);
        Assert.Equal(synth.Parameters.Version, a.ParametersVersion);
        Assert.Equal(synth.Parameters.Version, b.ParametersVersion);

        // The change is audible (so the comparison above is not between two unchanged signals).
        var unchanged = Reference.Read(untouched, (K - 1) * Block);
        Assert.True(Reference.MaxAbsDiff(outB.AsSpan(Block), unchanged) > 0.01, "the change should alter the output");
    }

    /// <summary>Two changes, the second while the first is still gliding; B reads between changes in one call each.</summary>
    [Fact]
    public void ContinuityAcrossAChangeDuringAGlide()
    {
        var synth = new Synth();
        var a = synth.CreateVoice();
        var b = synth.CreateVoice();
        var outA = new float[K * Block];
        var outB = new float[K * Block];

        a.Read(outA.AsSpan(0, Block));
        b.Read(outB.AsSpan(0, Block));
        synth.SetFrequency(0, 1500);
        synth.Gain = 2;

        // 200 samples into the 441-sample glide...
        Reference.ReadInChunks(a, outA.AsSpan(Block, 200), [13]);
        b.Read(outB.AsSpan(Block, 200));
        synth.SetFrequency(0, 20);
        synth.SetAmplitude(4, 0.5);
        synth.Gain = 0.5;

        Reference.ReadInChunks(a, outA.AsSpan(Block + 200), [Block]);
        b.Read(outB.AsSpan(Block + 200));

        Assert.InRange(Reference.MaxAbsDiff(outA, outB), 0, Tolerance);
    }

    [Fact]
    public void ContinuityAcrossChangesWithoutRamp()
    {
        var synth = new Synth(ramp: TimeSpan.Zero);
        var a = synth.CreateVoice();
        var b = synth.CreateVoice();
        var outA = new float[K * Block];
        var outB = new float[K * Block];
        a.Read(outA.AsSpan(0, Block));
        b.Read(outB.AsSpan(0, Block));

        Apply(synth, Change.Everything);

        Reference.ReadInChunks(a, outA.AsSpan(Block), [Block]);
        b.Read(outB.AsSpan(Block));
        Assert.InRange(Reference.MaxAbsDiff(outA, outB), 0, Tolerance);
    }
}
