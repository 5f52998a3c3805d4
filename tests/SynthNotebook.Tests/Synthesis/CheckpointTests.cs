using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>A voice put back to a checkpoint renders what it rendered from there, to the bit, even mid-glide.</summary>
public sealed class CheckpointTests
{
    [Fact]
    public void AVoiceRestoredMidGlideRendersTheSameSamplesAgain()
    {
        var synth = new Synth();
        var voice = synth.CreateVoice(48_000);
        var block = new float[256];
        voice.Read(block);
        synth.Set(2, 700, 0.5);
        synth.Gain = 0.5;
        voice.Read(block.AsSpan(0, 100));   // 100 samples into the 10 ms glide
        var checkpoint = voice.CreateCheckpoint();
        checkpoint.Save();
        var first = new float[3 * 256];
        voice.Read(first);
        var position = voice.Position;

        checkpoint.Restore();
        Assert.Equal(position - first.Length, voice.Position);
        var again = new float[3 * 256];
        voice.Read(again);

        Assert.Equal(first, again);
        Assert.Equal(position, voice.Position);
    }

    [Fact]
    public void ARestoredVoiceTakesUpParametersChangedSinceItsCheckpoint()
    {
        var synth = new Synth();
        var voice = synth.CreateVoice(48_000);
        var checkpoint = voice.CreateCheckpoint();
        checkpoint.Save();
        var old = new float[512];
        voice.Read(old);
        var version = voice.ParametersVersion;

        synth.Set(0, 300, null);
        checkpoint.Restore();
        Assert.Equal(version, voice.ParametersVersion);
        var changed = new float[512];
        voice.Read(changed);

        // As a voice that had the change come before its first sample: it glides there from the old parameters.
        var reference = new Synth();
        var fresh = reference.CreateVoice(48_000);
        reference.Set(0, 300, null);
        var expected = new float[512];
        fresh.Read(expected);
        Assert.Equal(expected, changed);
        Assert.NotEqual(old, changed);
        Assert.True(voice.ParametersVersion > version);
    }
}
