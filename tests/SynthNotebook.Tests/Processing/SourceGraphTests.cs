using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Processing;

/// <summary>A source followed by processors renders the same samples whatever the block size it is pulled in.</summary>
public sealed class SourceGraphTests
{
    [Fact]
    public void AnEnvelopedSawRendersTheSameInAnyBlockSizeAndEqualsItsPartsAppliedByHand()
    {
        static ISampleSource Note()
        {
            var envelope = new AdsrEnvelope(48_000, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.5, TimeSpan.FromMilliseconds(20));
            envelope.NoteOn();
            return new BandLimitedOscillator(Waveform.Saw, 110, 48_000).Through(envelope);
        }

        var streamed = Note().Render(0.25, blockSize: 256);
        var odd = Note().Render(0.25, blockSize: 37);
        Assert.Equal(streamed.Samples.ToArray(), odd.Samples.ToArray());

        var saw = new BandLimitedOscillator(Waveform.Saw, 110, 48_000).Render(0.25).Samples.ToArray();
        var byHand = new AdsrEnvelope(48_000, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.5, TimeSpan.FromMilliseconds(20));
        byHand.NoteOn();
        byHand.Process(saw);   // the whole take in one block
        Assert.Equal(saw, streamed.Samples.ToArray());
        Assert.Equal(48_000, streamed.SampleRate);
        Assert.Equal(12_000, streamed.Samples.Length);
    }

    [Fact]
    public void AChainShapesAnySourceAsItShapesTheMicrophone()
    {
        var chain = AudioChain.PassThrough.LowPass(500).Gain(0.5);
        var filtered = new BandLimitedOscillator(Waveform.Saw, 200, 48_000).Through(chain).Render(1).Samples.ToArray();
        var expected = new BandLimitedOscillator(Waveform.Saw, 200, 48_000).Render(1).Samples.ToArray();
        chain.Create(48_000).Process(expected);
        Assert.Equal(expected, filtered);

        var magnitudes = Synthesis.Spectrum.Magnitudes(filtered.AsSpan(0, 32_768));
        var raw = Synthesis.Spectrum.Magnitudes(new BandLimitedOscillator(Waveform.Saw, 200, 48_000).Render(1).Samples.Span[..32_768]);
        // The 10th harmonic (2 kHz) two octaves above the corner: some 24 dB down before the gain's 6 dB.
        var at2k = Synthesis.Spectrum.MagnitudeNear(magnitudes, 2_000, 5, 32_768, 48_000) / Synthesis.Spectrum.MagnitudeNear(raw, 2_000, 5, 32_768, 48_000);
        Assert.InRange(20 * Math.Log10(at2k), -36, -26);
    }

    [Fact]
    public void RenderingTooLongOrInTooSmallBlocksIsRefusedWithTheRange()
    {
        var noise = new NoiseSource(NoiseColor.White, 48_000);
        Assert.Contains("seconds", Assert.Throws<ArgumentOutOfRangeException>(() => noise.Render(-1)).Message);
        Assert.Contains("blockSize", Assert.Throws<ArgumentOutOfRangeException>(() => noise.Render(1, blockSize: 1)).Message);
    }
}
