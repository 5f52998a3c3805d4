using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Processing;

/// <summary>A stream's source swapped while it plays: cross-faded, no click or gap; a failing source becomes silence.</summary>
public sealed class PatchSwitchTests
{
    private const int Rate = 48_000;
    private const int Block = 128;

    private static readonly Patch Sine = Patch.PerSample(t => 0.8 * Math.Sin(2 * Math.PI * 440 * t), "sine 440");
    private static readonly Patch Saw = Patch.From(rate => new BandLimitedOscillator(Waveform.Saw, 97, rate, amplitude: 0.7), "saw 97");

    [Fact]
    public void ASwapCrossFadesWithNoStepLargerThanTheSignalsOwn()
    {
        var slot = new SwapSlot<Patch>(Sine);
        var source = new PatchSwitch(slot, Rate);
        var output = new float[60 * Block];
        for (var b = 0; b < 60; b++)
        {
            if (b == 20)
            {
                slot.Value = Saw;
            }
            source.Read(output.AsSpan(b * Block, Block));
        }

        // Before: the sine alone; after the fade: the saw alone, from its start at the swap.
        Assert.Equal(Sine.Render(20.0 * Block / Rate, Rate, Block).Samples.ToArray(), output[..(20 * Block)]);
        var fade = (int)Math.Round(ChainSwitch.FadeSeconds * Rate);
        var saw = Saw.Render(40.0 * Block / Rate, Rate, Block).Samples.ToArray();
        Assert.Equal(saw[fade..], output[(20 * Block + fade)..]);
        Assert.Equal("saw 97", source.Name);
        Assert.Equal(1, source.Version);

        // No click: the largest step anywhere is no larger than the larger of the two signals' own largest steps. (The
        // saw's own drop each cycle is its largest; a jump to it from the sine mid-way would be far larger than 1.4.)
        var own = Math.Max(LargestStep(Sine.Render(0.1, Rate).Samples.ToArray()), LargestStep(saw));
        Assert.True(LargestStep(output) <= own + 1e-4, $"largest step {LargestStep(output)} vs the signals' own {own}");
        var across = LargestStep(output.AsSpan((20 * Block) - 1, fade + 2));
        Assert.True(across < 0.25, $"the fade's largest step is {across}: it glides, the saw's drop comes later");
    }

    [Fact]
    public void ASourceThatThrowsFadesToSilenceAndIsReportedOnce()
    {
        var calls = 0;
        var failing = Patch.PerSample(t => ++calls > 1000 ? throw new DivideByZeroException("t hit zero") : 0.5, "flaky");
        var source = new PatchSwitch(new SwapSlot<Patch>(failing), Rate);
        var output = new float[20 * Block];
        var faults = new List<SourceFault>();
        for (var b = 0; b < 20; b++)
        {
            source.Read(output.AsSpan(b * Block, Block));
            if (source.TakeFault() is { } fault)
            {
                faults.Add(fault);
            }
        }

        var fault1 = Assert.Single(faults);
        Assert.Equal("flaky", fault1.PatchName);
        Assert.IsType<DivideByZeroException>(fault1.Error);
        Assert.Equal("'flaky' threw DivideByZeroException: t hit zero — playing silence; set server.Source to play again.", fault1.Message);
        var failedBlock = 1000 / Block;   // the block in which the 1001st call threw
        Assert.All(output[..(failedBlock * Block)], sample => Assert.Equal(0.5f, sample));
        var fadeOut = output.AsSpan(failedBlock * Block, Block).ToArray();
        Assert.True(fadeOut[0] is < 0.5f and > 0.49f && fadeOut[^1] == 0, "the level at the failure falls to 0 within the block");
        Assert.True(LargestStep(fadeOut) < 0.01);
        Assert.All(output[((failedBlock + 1) * Block)..], sample => Assert.Equal(0f, sample));
    }

    [Fact]
    public void ARecipeThatThrowsAtASwapFadesTheOldSourceOutToSilence()
    {
        var slot = new SwapSlot<Patch>(Sine);
        var source = new PatchSwitch(slot, Rate);
        var output = new float[40 * Block];
        for (var b = 0; b < 40; b++)
        {
            if (b == 10)
            {
                slot.Value = Patch.From(_ => throw new InvalidOperationException("no such file"), "sampler");
            }
            source.Read(output.AsSpan(b * Block, Block));
        }
        Assert.Contains("no such file", source.TakeFault()!.Message);
        Assert.True(LargestStep(output) <= LargestStep(Sine.Render(0.1, Rate).Samples.ToArray()) + 1e-4);
        Assert.All(output[(10 * Block + 480)..], sample => Assert.Equal(0f, sample));
    }

    [Fact]
    public void NonFiniteSamplesNeverLeave()
    {
        var source = new PatchSwitch(new SwapSlot<Patch>(Patch.PerSample(t => t < 0.001 ? double.NaN : double.PositiveInfinity)), Rate);
        var output = new float[Block];
        source.Read(output);
        Assert.All(output, sample => Assert.True(float.IsFinite(sample)));
    }

    [Fact]
    public void ACheckpointBeforeASwapRendersTheSwapAgainTheSameWay()
    {
        var slot = new SwapSlot<Patch>(Sine);
        var source = new PatchSwitch(slot, Rate);
        var block = new float[Block];
        for (var b = 0; b < 5; b++)
        {
            source.Read(block);
        }
        var checkpoint = (PatchSwitch.Checkpoint)source.CreateCheckpoint();
        checkpoint.Save();
        Assert.True(checkpoint.CanRestore);
        slot.Value = Saw;
        var first = new float[10 * Block];
        source.Read(first);
        checkpoint.Restore();
        Assert.Equal("sine 440", source.Name);
        var again = new float[10 * Block];
        source.Read(again);
        Assert.Equal(first, again);
        Assert.Equal("saw 97", source.Name);
    }

    [Fact]
    public void AStateOfASourceThatCannotKeepOneIsNotRestorable()
    {
        var opaque = Patch.From(rate => new OpaqueSource(rate), "opaque");
        var source = new PatchSwitch(new SwapSlot<Patch>(opaque), Rate);
        var checkpoint = (PatchSwitch.Checkpoint)source.CreateCheckpoint();
        checkpoint.Save();
        Assert.False(checkpoint.CanRestore);
        Assert.Throws<InvalidOperationException>(checkpoint.Restore);
    }

    private static double LargestStep(ReadOnlySpan<float> samples)
    {
        var largest = 0.0;
        for (var i = 1; i < samples.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(samples[i] - samples[i - 1]));
        }
        return largest;
    }

    private sealed class OpaqueSource(int sampleRate) : ISampleSource
    {
        public int SampleRate => sampleRate;

        public int Read(Span<float> destination)
        {
            destination.Fill(0.1f);
            return destination.Length;
        }
    }
}
