namespace SynthNotebook.BrowserTests;

/// <summary>The comparison helpers themselves, on a capture made by hand (no browser).</summary>
public sealed class PlayedAudioTests
{
    [Fact]
    public void AnUnderrunsSilenceIsCutAndCountedWhereItWasHeard()
    {
        var reference = PlayedAudio.Reference(48_000, 256, 4096);
        // 100 samples of silence before the stream, then an underrun's 300 zeros before stream sample 1000.
        var captured = new float[100].Concat(reference[..1000]).Concat(new float[300]).Concat(reference[1000..]).ToArray();

        var start = PlayedAudio.FindStart(captured, reference);
        var (stream, gaps) = PlayedAudio.CutGaps(captured, start, reference);

        Assert.Equal(100, start);
        Assert.Equal([new Gap(1000, 300)], gaps);
        Assert.Equal(0, PlayedAudio.Mismatches(stream, 0, reference));
        Assert.Equal(4096, stream.Length);
        Assert.Equal(100 + 999, PlayedAudio.CaptureIndex(start, 999, gaps));
        Assert.Equal(100 + 1000 + 300, PlayedAudio.CaptureIndex(start, 1000, gaps));
    }

    [Fact]
    public void AGapFailsTheExactCheckUnlessAllowedAndAnAlteredSampleAlwaysDoes()
    {
        var reference = PlayedAudio.Reference(48_000, 256, 4096);
        var withGap = new float[50].Concat(reference[..2000]).Concat(new float[256]).Concat(reference[2000..]).ToArray();

        Assert.Throws<Xunit.Sdk.TrueException>(() => PlayedAudio.AssertPlayed(withGap, reference, 4096, allowUnderrunGaps: false, "test"));
        Assert.Equal([new Gap(2000, 256)], PlayedAudio.AssertPlayed(withGap, reference, 4096, allowUnderrunGaps: true, "test").Gaps);
        withGap[3000] += 0.001f;
        Assert.Throws<Xunit.Sdk.TrueException>(() => PlayedAudio.AssertPlayed(withGap, reference, 4096, allowUnderrunGaps: true, "test"));
    }

    [Fact]
    public void AReplayOfStaleAudioIsDescribedAsAShiftBack()
    {
        var reference = PlayedAudio.Reference(48_000, 256, 8192);
        var played = reference.ToArray();
        Array.Copy(reference, 0, played, 6144, 384);   // stream samples 0–383 played again where 6144–6527 belonged

        Assert.Equal("from stream sample 6144 for 384 samples, which equal the stream shifted by [-6144]",
            PlayedAudio.DescribeMismatch(played, reference));
        Assert.Equal("none", PlayedAudio.DescribeMismatch(reference, reference));
    }

    [Fact]
    public void TheStartIsFoundThroughAGapInItsFirstSamples()
    {
        var reference = PlayedAudio.Reference(48_000, 256, 4096);
        var captured = new float[300].Concat(reference[..100]).Concat(new float[128]).Concat(reference[100..]).ToArray();

        var start = PlayedAudio.FindStart(captured, reference);
        var (stream, gaps) = PlayedAudio.CutGaps(captured, start, reference);

        Assert.Equal(300, start);
        Assert.Equal([new Gap(100, 128)], gaps);
        Assert.Equal(reference, stream);
    }

    [Fact]
    public void TheStreamsOwnFirstZeroIsNotAGap()
    {
        var reference = PlayedAudio.Reference(44_100, 256, 1024);
        Assert.Equal(0f, reference[0]);

        var (stream, gaps) = PlayedAudio.CutGaps(reference, 0, reference);

        Assert.Empty(gaps);
        Assert.Equal(reference, stream);
    }

    // The player's concealment, done by hand: the quantum before the silence fades out, the one after it fades in.
    private static float[] Conceal(float[] reference, int silenceBefore, int silence)
    {
        var played = reference.ToArray();
        for (var k = 0; k < PlayedAudio.Quantum; k++)
        {
            played[silenceBefore - PlayedAudio.Quantum + k] = PlayedAudio.FadeOut(reference[silenceBefore - PlayedAudio.Quantum + k], k, PlayedAudio.Quantum);
            played[silenceBefore + k] = PlayedAudio.FadeIn(reference[silenceBefore + k], k, PlayedAudio.Quantum);
        }
        return [.. played[..silenceBefore], .. new float[silence], .. played[silenceBefore..]];
    }

    [Fact]
    public void AConcealedUnderrunIsUndoneToTheStreamAndItsSilenceIsAGap()
    {
        var reference = PlayedAudio.Reference(48_000, 256, 4096);
        var captured = new float[64].Concat(Conceal(reference, 2048, 700)).ToArray();

        var (stream, gaps, start) = PlayedAudio.AssertPlayed(captured, reference, 4096, allowUnderrunGaps: true, "test");

        Assert.Equal(64, start);
        Assert.Equal([new Gap(2048, 700)], gaps);
        Assert.Equal(reference, stream);
    }

    [Fact]
    public void AFadeThatIsNotTheConcealmentsToTheBitIsAMismatch()
    {
        var reference = PlayedAudio.Reference(48_000, 256, 4096);
        var captured = Conceal(reference, 2048, 700);
        captured[2048 - 10] *= 0.999f;   // a ramp, but not the player's

        Assert.Throws<Xunit.Sdk.TrueException>(() => PlayedAudio.AssertPlayed(captured, reference, 4096, allowUnderrunGaps: true, "test"));
    }

    [Fact]
    public void TheStartsFadeInIsFound()
    {
        var reference = PlayedAudio.Reference(48_000, 256, 4096);
        var played = reference.ToArray();
        for (var k = 0; k < PlayedAudio.Quantum; k++)
        {
            played[k] = PlayedAudio.FadeIn(reference[k], k, PlayedAudio.Quantum);
        }
        var captured = new float[500].Concat(played).ToArray();

        var (stream, gaps, start) = PlayedAudio.AssertPlayed(captured, reference, 4096, allowUnderrunGaps: false, "test");

        Assert.Equal(500, start);
        Assert.Empty(gaps);
        Assert.Equal(reference, stream);
    }

    [Fact]
    public void AFadeOutFollowedAtOnceByAFadeInIsUndoneWithNoGap()
    {
        // The blocks came back before the next quantum: the ring left on a fade and came back on one, with no silence.
        var reference = PlayedAudio.Reference(48_000, 256, 4096);
        var captured = Conceal(reference, 2048, 0);

        var (stream, gaps, _) = PlayedAudio.AssertPlayed(captured, reference, 4096, allowUnderrunGaps: true, "test");

        Assert.Empty(gaps);
        Assert.Equal(reference, stream);
    }
}
