using SynthNotebook.Processing;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Synthesis;
using Xunit.Abstractions;

namespace SynthNotebook.Tests.Processing;

/// <summary>
/// The live input (the microphone as a patch): a feed writes at its clock, listeners read at theirs. The two clocks are
/// simulated here, so what is heard depends on the clocks given, never on the machine's scheduling.
/// </summary>
public class LiveInputTests(ITestOutputHelper output)
{
    private const int FftLength = 1 << 15;

    [Theory]
    [InlineData(48_000, 48_000)]
    [InlineData(48_000, 44_100)]
    [InlineData(44_100, 48_000)]
    public void TonesAreHeardAtTheirPitchAndLevelAtTheListenersRate(int feedRate, int listenerRate)
    {
        foreach (var hz in new[] { 1_000.0, 15_000.0 })
        {
            var input = new LiveInput();
            var heard = Stream(input, n => (float)(0.5 * Math.Sin(2 * Math.PI * hz * n / feedRate)), feedRate, 256,
                listenerRate, 441, seconds: 3);
            var magnitudes = Spectrum.Magnitudes(heard.AsSpan(heard.Length - FftLength));
            var bin = Spectrum.HzToBin(hz, FftLength, listenerRate);
            Assert.InRange(Spectrum.PeakBin(magnitudes, 1), bin - 1, bin + 1);
            var level = Signals.Decibels(Spectrum.MaxMagnitude(magnitudes, bin - 2, bin + 2) / 0.5);
            var spurious = Signals.Decibels(Math.Max(Spectrum.MaxMagnitude(magnitudes, 1, bin - 60),
                Spectrum.MaxMagnitude(magnitudes, bin + 60, magnitudes.Length - 1)) / 0.5);
            output.WriteLine($"{hz} Hz, {feedRate} → {listenerRate}: level {level:0.000} dB, strongest other {spurious:0.0} dB");
            Assert.InRange(level, -1.5, 0.05);   // the Hann window reads a tone between bins up to 1.4 dB low
            Assert.True(spurious < -85, $"a spurious tone at {spurious:0.0} dB");
            Assert.Equal(0, input.Underruns);
            Assert.Equal(0, input.Restarts);
        }
    }

    [Fact]
    public void WhatWouldAliasWhenGoingDownARateIsTakenDownBy80Decibels()
    {
        // 23 kHz at 48 kHz is above 44.1 kHz's Nyquist frequency: kept, it would fold to 21.1 kHz.
        var input = new LiveInput();
        var heard = Stream(input, n => (float)(0.5 * Math.Sin(2 * Math.PI * 23_000 * n / 48_000)), 48_000, 256, 44_100, 441, 1.5);

        var strongest = Signals.Decibels(Spectrum.MaxMagnitude(Spectrum.Magnitudes(heard.AsSpan(heard.Length - FftLength)), 1, FftLength / 2) / 0.5);
        output.WriteLine($"23 kHz, 48 kHz → 44.1 kHz: strongest tone {strongest:0.0} dB");
        Assert.True(strongest < -80, $"the alias is at {strongest:0.0} dB");
    }

    [Theory]
    [InlineData(96_000, 8_000)]
    [InlineData(50_000, 5_100)]   // where the plain formula's cutoff is 0: rows of nothing
    [InlineData(768_000, 3_000)]
    [InlineData(3_000, 768_000)]
    public void ExtremeRatesAreHeardAtTheirPitchAndNeverBlowUp(int feedRate, int listenerRate)
    {
        var input = new LiveInput();
        var heard = Stream(input, n => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * n / feedRate)), feedRate, feedRate / 100,
            listenerRate, listenerRate / 100, seconds: 3);

        Assert.All(heard, sample => Assert.True(float.IsFinite(sample) && Math.Abs(sample) <= 0.55, $"sample {sample}"));
        var length = 1 << (int)Math.Floor(Math.Log2(heard.Length / 2.0));
        var magnitudes = Spectrum.Magnitudes(heard.AsSpan(heard.Length - length));
        var peak = Spectrum.BinToHz(Spectrum.PeakBin(magnitudes, 1), length, listenerRate);
        Assert.InRange(peak, 440 - 2.0 * listenerRate / length, 440 + 2.0 * listenerRate / length);
        Assert.Equal(0, input.Underruns);
    }

    [Theory]
    [InlineData(1.002)]
    [InlineData(0.998)]
    public void AFeedWhoseClockRunsFastOrSlowIsFollowedWithoutAnUnderrun(double feedClock)
    {
        // 2,000 ppm: ten times what two real sound cards drift apart by. A minute of it.
        var input = new LiveInput();
        var heard = Stream(input, n => (float)(0.5 * Math.Sin(2 * Math.PI * 1_000 * n / 48_000)), 48_000, 256, 48_000, 480,
            seconds: 60, feedClock);

        Assert.Equal(0, input.Underruns);
        Assert.Equal(0, input.Restarts);
        // The feed's second is 1/feedClock of the listener's: its 1 kHz is heard at 1 kHz × feedClock.
        var magnitudes = Spectrum.Magnitudes(heard.AsSpan(heard.Length - FftLength));
        var peak = Spectrum.PeakBin(magnitudes, 1);
        Assert.InRange(Spectrum.BinToHz(peak, FftLength, 48_000), 1_000 * feedClock - 1.5, 1_000 * feedClock + 1.5);
    }

    [Fact]
    public void AFeedThatStopsFadesOutAndComesBackFadingInWithoutAClick()
    {
        var input = new LiveInput();
        var signal = (long n) => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * n / 48_000));
        // The feed says nothing from 0.5 s to 0.7 s (its samples go on counting: they are not sent).
        var heard = Stream(input, signal, 48_000, 256, 48_000, 256, seconds: 1.5,
            pauseFeed: (0.5, 0.7));

        Assert.Equal(1, input.Underruns);
        Assert.True(LongestSilence(heard.AsSpan(24_000, 19_200)) > 4_800, "no silence while the feed said nothing");
        Assert.True(heard[^4_800..].Max() > 0.45, "the feed's sound did not come back");
        Assert.True(Signals.MaxStep(heard) <= Signals.MaxStep(Sine(440, 48_000)) * 1.05, $"a step of {Signals.MaxStep(heard)}");
    }

    [Fact]
    public void AnUnderrunAfterAWhileOfPlayThickensTheCushionByHalfUpToFourTimesTheOneAsked()
    {
        var (input, feed, reader) = FedListener();
        using (feed)
        {
            foreach (var expected in new[] { 60.0, 90, 135, 160, 160 })
            {
                PlayThenRunOut(input, feed, reader, blocksAfterStart: 50);   // half a second of play, then a stall
                Assert.Equal(expected, reader.Cushion.TotalMilliseconds, 6);
            }
        }
    }

    [Fact]
    public void AListenerFillingItsOwnCushionInABurstRunsOutButKeepsItsCushion()
    {
        var (input, feed, reader) = FedListener();
        using (feed)
        {
            for (var start = 0; start < 3; start++)
            {
                // Read 10 ms at a time, faster than the feed, from the moment it plays: a cushion played, not a while.
                PlayThenRunOut(input, feed, reader, blocksAfterStart: 0);
            }
        }
        Assert.Equal(3, input.Underruns);
        Assert.Equal(40, reader.Cushion.TotalMilliseconds, 6);
    }

    private static (LiveInput Input, LiveInput.Feed Feed, LiveInputSource Reader) FedListener()
    {
        var input = new LiveInput();
        return (input, input.OpenFeed(48_000), (LiveInputSource)input.Patch.Create(48_000));
    }

    /// <summary>
    /// Feeds and reads 10 ms at a time until the reader plays and <paramref name="blocksAfterStart"/> blocks more, then
    /// reads with nothing fed until it has run out once.
    /// </summary>
    private static void PlayThenRunOut(LiveInput input, LiveInput.Feed feed, ISampleSource reader, int blocksAfterStart)
    {
        var fed = Sine(440, 48_000).AsSpan(0, 480).ToArray();
        var block = new float[480];
        bool Plays()
        {
            feed.Write(fed);
            reader.Read(block);
            return block.Any(sample => sample != 0);
        }
        while (!Plays())
        {
        }
        for (var b = 0; b < blocksAfterStart; b++)
        {
            Plays();
        }
        var underruns = input.Underruns;
        while (input.Underruns == underruns)
        {
            reader.Read(block);
        }
    }

    [Fact]
    public void AListenerThatFellFarBehindStartsAgainACushionBehindWithoutAClick()
    {
        var input = new LiveInput();
        var signal = (long n) => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * n / 48_000));
        // The listener's clock stops for 0.3 s (a frozen machine), then goes on from where it was: 0.3 s behind.
        var heard = Stream(input, signal, 48_000, 256, 48_000, 256, seconds: 1.5, stallReader: (0.5, 0.8));

        Assert.Equal(1, input.Restarts);
        Assert.Equal(0, input.Underruns);
        Assert.True(Signals.MaxStep(heard) <= Signals.MaxStep(Sine(440, 48_000)) * 1.05, $"a step of {Signals.MaxStep(heard)}");
    }

    [Fact]
    public void TheNewestFeedIsHeardAndTheOneBeforeComesBackWhenItClosesEachChangeWithoutAClick()
    {
        var input = new LiveInput();
        var reader = input.Patch.Create(48_000);
        using var first = input.OpenFeed(48_000);
        using var second = input.OpenFeed(44_100);
        var heard = new List<float[]>();

        heard.Add(Feed(first, 440, 48_000, reader, seconds: 0.8));
        Assert.Equal(440, PitchOf(heard[^1]), 1.5);
        Assert.Equal(48_000, input.SampleRate);

        heard.Add(Feed(second, 660, 44_100, reader, 0.1));   // its first block: it is heard from now on
        Assert.Equal(44_100, input.SampleRate);
        first.Write(new float[480]);                           // ignored while the newer one is heard
        heard.Add(Feed(second, 660, 44_100, reader, 0.8));
        Assert.Equal(660, PitchOf(heard[^1]), 1.5);

        second.Dispose();
        Assert.Equal(48_000, input.SampleRate);
        heard.Add(Feed(first, 440, 48_000, reader, 0.8));
        Assert.Equal(440, PitchOf(heard[^1]), 1.5);
        first.Dispose();
        Assert.False(input.IsFed);
        Assert.Contains("not fed", input.ToString());
        var all = heard.SelectMany(part => part).ToArray();
        Assert.True(Signals.MaxStep(all) <= Signals.MaxStep(Signals.Sine(660, 48_000, 48_000, 0.5)) * 1.05, $"a step of {Signals.MaxStep(all)}");
    }

    [Fact]
    public void ARewoundListenerRendersTheSameSamplesAgain()
    {
        var input = new LiveInput();
        using var feed = input.OpenFeed(48_000);
        var reader = (IRewindableSource)input.Patch.Create(44_100);
        var signal = Sine(330, 48_000);
        var block = new float[441];
        for (var b = 0; b < 20; b++)
        {
            feed.Write(signal.AsSpan(b * 480, 480));
            reader.Read(block);
        }
        feed.Write(signal.AsSpan(20 * 480, 4 * 480));
        var checkpoint = reader.CreateCheckpoint();
        checkpoint.Save();
        var first = Enumerable.Range(0, 3).SelectMany(_ => { reader.Read(block); return block.ToArray(); }).ToArray();
        checkpoint.Restore();
        var again = Enumerable.Range(0, 3).SelectMany(_ => { reader.Read(block); return block.ToArray(); }).ToArray();

        Assert.Equal(first, again);
        Assert.True(first.Max() > 0.45, "the rewound stretch should be sound, not the start's silence");
    }

    [Fact]
    public void FeedingAndListeningAllocateNothingPerBlock()
    {
        var input = new LiveInput();
        using var feed = input.OpenFeed(48_000);
        var reader = input.Patch.Create(44_100);
        var fed = Sine(440, 48_000).AsSpan(0, 480).ToArray();
        var block = new float[441];
        for (var b = 0; b < 100; b++)
        {
            feed.Write(fed);
            reader.Read(block);
        }

        // Rounds of 200 blocks until one allocates nothing: what allocates per block would show in every round, while
        // the runtime's own once-only work (a method's tier-up on this thread, measured once in CI) shows in one.
        var rounds = new List<long>();
        for (var round = 0; round < 10 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var b = 0; b < 200; b++)
            {
                feed.Write(fed);
                reader.Read(block);
            }
            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(rounds[^1] == 0, $"bytes allocated per round of 200 blocks: {string.Join(", ", rounds)}");
    }

    [Fact]
    public void AnInputNobodyFeedsIsSilence()
    {
        var input = new LiveInput("microphone");
        var heard = input.Patch.Render(0.1, 48_000);
        Assert.All(heard.Samples.ToArray(), sample => Assert.Equal(0f, sample));
        Assert.Equal("microphone (40 ms behind)", input.Patch.Name);
    }

    [Fact]
    public void BadSettingsAreRefusedSayingWhatIsAllowed()
    {
        var input = new LiveInput();
        var cushion = Assert.Throws<ArgumentOutOfRangeException>(() => input.AsPatch(TimeSpan.FromMilliseconds(1)));
        Assert.Contains("cushion must be a finite number in [5, 1000] ms; got 1 ms.", cushion.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => input.OpenFeed(100));
        var feed = input.OpenFeed(48_000);
        feed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => feed.Write(new float[4]));
    }

    [Fact]
    public void NonFiniteSamplesAreFedAsSilence()
    {
        var input = new LiveInput();
        using var feed = input.OpenFeed(48_000);
        var reader = input.Patch.Create(48_000);
        var block = new float[480];
        var bad = Enumerable.Repeat(float.NaN, 480).ToArray();
        for (var b = 0; b < 20; b++)
        {
            feed.Write(bad);
            reader.Read(block);
            Assert.All(block, sample => Assert.Equal(0f, sample));
        }
    }

    /// <summary>
    /// Feeds <paramref name="signal"/> (sample n at the feed's rate) in blocks, and reads blocks at the listener's
    /// rate, each when its clock says: the feed's block is sent when its last sample is due on the feed's clock, which
    /// runs at <paramref name="feedClock"/> times the listener's; a listener asks for a block when it starts.
    /// </summary>
    private static float[] Stream(LiveInput input, Func<long, float> signal, int feedRate, int feedBlock, int listenerRate,
        int readBlock, double seconds, double feedClock = 1.0, (double From, double To)? pauseFeed = null,
        (double From, double To)? stallReader = null)
    {
        using var feed = input.OpenFeed(feedRate);
        var reader = input.Patch.Create(listenerRate);
        var heard = new float[(int)(seconds * listenerRate) / readBlock * readBlock];
        var block = new float[feedBlock];
        long fed = 0;
        var read = 0;
        while (read < heard.Length)
        {
            var feedDue = (fed + feedBlock) / (feedRate * feedClock);
            var readDue = (double)read / listenerRate;
            if (stallReader is { } stall && readDue >= stall.From)
            {
                readDue += stall.To - stall.From;   // every block from the stall on is asked for that much later
            }
            if (feedDue <= readDue)
            {
                for (var i = 0; i < feedBlock; i++)
                {
                    block[i] = signal(fed + i);
                }
                var paused = pauseFeed is { } pause && feedDue >= pause.From && feedDue < pause.To;
                if (!paused)
                {
                    feed.Write(block);
                }
                fed += feedBlock;
            }
            else
            {
                reader.Read(heard.AsSpan(read, readBlock));
                read += readBlock;
            }
        }
        return heard;
    }

    /// <summary>
    /// Feeds a tone for <paramref name="seconds"/> through <paramref name="feed"/>, 10 ms at a time, a 48 kHz listener's
    /// 10 ms read after each; returns what it heard.
    /// </summary>
    private static float[] Feed(LiveInput.Feed feed, double hz, int rate, ISampleSource reader, double seconds)
    {
        var samples = new float[rate / 100];
        var heard = new float[(int)Math.Round(seconds * 100) * 480];
        for (var b = 0; b < heard.Length / 480; b++)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (float)(0.5 * Math.Sin(2 * Math.PI * hz * (b * samples.Length + i) / rate));
            }
            feed.Write(samples);
            reader.Read(heard.AsSpan(b * 480, 480));
        }
        return heard;
    }

    /// <summary>The strongest frequency in the last <see cref="FftLength"/> samples at 48 kHz.</summary>
    private static double PitchOf(float[] heard)
        => Spectrum.BinToHz(Spectrum.PeakBin(Spectrum.Magnitudes(heard.AsSpan(heard.Length - FftLength)), 1), FftLength, 48_000);

    private static float[] Sine(double hz, int rate) => Signals.Sine(hz, rate, rate, 0.5);

    private static int LongestSilence(ReadOnlySpan<float> samples)
    {
        int longest = 0, run = 0;
        foreach (var sample in samples)
        {
            run = sample == 0 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
