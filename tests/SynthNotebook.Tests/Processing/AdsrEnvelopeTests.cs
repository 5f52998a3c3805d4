using SynthNotebook.Processing;

namespace SynthNotebook.Tests.Processing;

/// <summary>Each segment lasts exactly its samples and ends exactly at its level; a retrigger goes on from where it was.</summary>
public sealed class AdsrEnvelopeTests
{
    private const int Rate = 48_000;

    [Fact]
    public void EverySegmentLastsItsTimeToTheSample()
    {
        // 10 ms, 20 ms, 0.25, 5 ms at 48 kHz: 480, 960 and 240 samples.
        var envelope = new AdsrEnvelope(Rate, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), 0.25, TimeSpan.FromMilliseconds(5));
        envelope.NoteOn();
        var levels = Levels(envelope, 2_000);

        Assert.True(levels[478] < 1);
        Assert.Equal(1f, levels[479]);                  // full on the attack's last sample
        Assert.Equal(1f / 480, levels[0], 6);           // straight steps from 0
        Assert.True(levels[480] is < 1 and > 0.25f);    // the decay begins on the next
        Assert.True(levels[1438] > 0.25f);
        Assert.Equal(0.25f, levels[1439]);              // 960 samples of decay
        Assert.All(levels[1439..], level => Assert.Equal(0.25f, level));
        Assert.Equal(EnvelopeStage.Sustain, envelope.Stage);

        envelope.NoteOff();
        var release = Levels(envelope, 300);
        Assert.True(release[238] > 0);
        Assert.Equal(0f, release[239]);                 // 240 samples of release
        Assert.All(release[239..], level => Assert.Equal(0f, level));
        Assert.False(envelope.IsActive);
    }

    [Fact]
    public void ANoteOnDuringTheReleaseRisesFromTheLevelReachedWithoutAJump()
    {
        var envelope = new AdsrEnvelope(Rate, TimeSpan.FromMilliseconds(4), TimeSpan.Zero, 0.8, TimeSpan.FromMilliseconds(10));
        envelope.NoteOn();
        Levels(envelope, 1_000);
        envelope.NoteOff();
        var falling = Levels(envelope, 100);
        envelope.NoteOn();
        var rising = Levels(envelope, 192);

        Assert.True(Math.Abs(rising[0] - falling[^1]) < 0.01, $"{falling[^1]} then {rising[0]}");
        Assert.Equal(1f, rising[191]);                  // 4 ms later, full
        Assert.Equal(EnvelopeStage.Sustain, envelope.Stage);
        Assert.Equal(0.8, envelope.Level, 6);           // a decay of 0: straight to the sustain level
    }

    [Fact]
    public void AsAProcessorItMultipliesTheBlockAndIdleIsSilence()
    {
        var envelope = new AdsrEnvelope(Rate, TimeSpan.Zero, TimeSpan.Zero, 0.5, TimeSpan.Zero);
        var block = new float[] { 1, -1, 0.5f };
        envelope.Process(block);
        Assert.Equal([0f, 0f, 0f], block);
        envelope.NoteOn();
        block = [1, -1, 0.5f];
        envelope.Process(block);
        Assert.Equal([0.5f, -0.5f, 0.25f], block);
        envelope.NoteOff();
        Assert.False(envelope.IsActive);
    }

    [Fact]
    public void TimesAndLevelsOutOfRangeAreRefused()
    {
        Assert.Contains("attack", Assert.Throws<ArgumentOutOfRangeException>(
            () => new AdsrEnvelope(Rate, TimeSpan.FromMilliseconds(-1), TimeSpan.Zero, 0.5, TimeSpan.Zero)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdsrEnvelope(Rate, TimeSpan.Zero, TimeSpan.Zero, 1.5, TimeSpan.Zero));
    }

    private static float[] Levels(AdsrEnvelope envelope, int count)
    {
        var levels = new float[count];
        envelope.Render(levels);
        return levels;
    }
}
