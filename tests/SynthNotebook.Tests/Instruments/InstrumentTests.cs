using SynthNotebook.Instruments;
using SynthNotebook.Processing;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Synthesis;

namespace SynthNotebook.Tests.Instruments;

/// <summary>The polyphonic instrument: notes to the sample, voices shared out and stolen, the same offline as live.</summary>
public sealed class InstrumentTests
{
    private const int Rate = 48_000;

    /// <summary>A voice that plays a constant of its note number: what sounds when, and how many, can be read off.</summary>
    private sealed class MarkerVoice(int sampleRate) : IInstrumentVoice, IRewindableSource
    {
        private float _level;

        public int SampleRate => sampleRate;

        public bool IsSounding { get; private set; }

        public int Starts { get; private set; }

        public void Start(MidiNote note, double velocity)
        {
            _level = note.Number;
            IsSounding = true;
            Starts++;
        }

        public void Release()
        {
            _level = 0;
            IsSounding = false;
        }

        public int Read(Span<float> destination)
        {
            destination.Fill(_level);
            return destination.Length;
        }

        public ISourceCheckpoint CreateCheckpoint() => new PositionLess(this);

        private sealed class PositionLess(MarkerVoice voice) : ISourceCheckpoint
        {
            private (float, bool) _state;

            public void Save() => _state = (voice._level, voice.IsSounding);

            public void Restore() => (voice._level, voice.IsSounding) = _state;
        }
    }

    private static Instrument Markers(int polyphony = 4) => new(rate => new MarkerVoice(rate), polyphony, gain: 1, name: "markers");

    [Fact]
    public void APatternsNotesStartAndEndOnTheSamplesTheirBeatsFallOn()
    {
        // 120 bpm: a beat is 0.5 s, 24,000 samples; each note sounds for 0.9 of its beat (21,600 samples).
        var pattern = new Pattern(bpm: 120).Note(60).Note(64).Rest().Note(67, beats: 2);
        var samples = Markers().Render(pattern, seconds: 2.5, Rate, blockSize: 256).Samples.ToArray();

        Assert.Equal(60f, samples[0]);
        Assert.Equal(60f, samples[21_599]);
        Assert.Equal(0f, samples[21_600]);
        Assert.Equal(64f, samples[24_000]);
        Assert.Equal(0f, samples[24_000 + 21_600]);
        Assert.All(samples[(24_000 + 21_600)..72_000], s => Assert.Equal(0f, s));
        Assert.Equal(67f, samples[72_000]);
        Assert.Equal(67f, samples[72_000 + 43_199]);
        Assert.Equal(0f, samples[72_000 + 43_200]);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(37)]
    [InlineData(4096)]
    public void TheSameInAnyBlockSizeAndAtEachRateOnItsOwnSamples(int blockSize)
    {
        var instrument = new Instrument(VoiceSettings.Default with { Release = TimeSpan.FromMilliseconds(40) });
        var pattern = Pattern.Steps("C4 E4+G4 - C5 A3 - - F#4", bpm: 150).Repeat(2);
        Assert.Equal(instrument.Render(pattern, blockSize: 256).Samples.ToArray(), instrument.Render(pattern, blockSize: blockSize).Samples.ToArray());
        var at44 = Markers().Render(pattern, sampleRate: 44_100).Samples.ToArray();
        Assert.Equal(0f, at44[(int)Math.Round(0.2 * 0.9 * 44_100)]);   // a step is 0.2 s at 150 bpm
        Assert.Equal(64f + 67f, at44[(int)Math.Round(0.2 * 44_100)]);
    }

    [Fact]
    public void WhenEveryVoiceIsBusyTheOneReleasedLongestAgoIsTakenElseTheOldestHeld()
    {
        var instrument = Markers(polyphony: 2);
        var source = (InstrumentSource)((IRewindableSource)instrument.Patch.Create(Rate));
        var block = new float[64];

        instrument.NoteOn(60);
        instrument.NoteOn(62);
        source.Read(block);
        Assert.Equal(122f, block[0]);
        instrument.NoteOn(64);          // both held: the oldest (60) is taken
        source.Read(block);
        Assert.Equal(62f + 64f, block[0]);
        Assert.Equal(1, source.Stolen);
        instrument.NoteOff(62);         // its marker voice falls silent at once: a free voice, no theft
        source.Read(block);
        instrument.NoteOn(65);
        source.Read(block);
        Assert.Equal(64f + 65f, block[0]);
        Assert.Equal(1, source.Stolen);
        instrument.NoteOn(64);          // the key again: the voice already playing it, no theft
        source.Read(block);
        Assert.Equal(1, source.Stolen);
    }

    [Fact]
    public void AStolenBuiltInVoiceGoesOnFromItsLevelWithoutAClick()
    {
        var instrument = new Instrument(VoiceSettings.Default with { Cutoff = 20_000 }, polyphony: 1, gain: 1);
        var source = instrument.Patch.Create(Rate);
        instrument.NoteOn("A3");
        var before = Reference.Read(source, 4800);
        instrument.NoteOn("E4");        // the only voice, taken mid-note
        var after = Reference.Read(source, 4800);

        var step = Math.Abs(after[0] - before[^1]);
        var ownSteps = before.Zip(before.Skip(1), (a, b) => Math.Abs(b - a)).Max();
        Assert.True(step <= ownSteps * 1.5, $"the steal's step {step} against the note's own largest {ownSteps}");
        Assert.True(Reference.MaxAbs(after.AsSpan(2400)) > 0.3, "the new note sounds");
    }

    [Fact]
    public void TheBuiltInVoiceIsAtTheNotesPitchShapedByItsEnvelope()
    {
        var instrument = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Sine }, gain: 1);
        var take = instrument.Render(new Pattern(60).Note("A4", beats: 1, velocity: 1, gate: 0.5), seconds: 1.5).Samples.ToArray();
        var magnitudes = Spectrum.Magnitudes(take.AsSpan(4800, 16_384));
        Assert.Equal(440, Spectrum.BinToHz(Spectrum.PeakBin(magnitudes), 16_384, Rate), 3.0);
        Assert.True(Reference.MaxAbs(take.AsSpan(24_000 + 14_400)) < 1e-3, "silent after the 250 ms release");
        Assert.True(Reference.MaxAbs(take.AsSpan(0, 240)) < Reference.MaxAbs(take.AsSpan(240, 240)), "it rises over its attack");
    }

    [Fact]
    public void ListenersRewindTheNotesTheyHaveRenderedAndPlayThemAgainTheSame()
    {
        var instrument = new Instrument();
        var source = Assert.IsAssignableFrom<IRewindableSource>(instrument.Patch.Create(Rate));
        instrument.Play(Pattern.Steps("C4 E4 G4 C5", bpm: 240));
        Reference.AssertRestoredRendersTheSame(source, warmUp: 3000, length: 20_000);
        var opaque = new Instrument(rate => new OpaqueVoice(rate));
        Assert.IsNotAssignableFrom<IRewindableSource>(opaque.Patch.Create(Rate));
    }

    [Fact]
    public void WhatIsPlayedReachesEveryListenerAtItsNextBlockAndAListenerThatJoinsHearsTheKeysHeldThen()
    {
        var instrument = Markers();
        instrument.NoteOn(50);
        var late = instrument.Patch.Create(Rate);
        var block = new float[32];
        late.Read(block);
        Assert.All(block, s => Assert.Equal(50f, s));   // held when it joined
        instrument.NoteOff(50);
        late.Read(block);
        Assert.All(block, s => Assert.Equal(0f, s));
        var other = instrument.Patch.Create(44_100);
        instrument.Play(72, 0.0005);   // 24 samples at 48 kHz, 22 at 44.1 kHz
        late.Read(block);
        Assert.Equal(72f, block[23]);
        Assert.Equal(0f, block[24]);
        other.Read(block);
        Assert.Equal(72f, block[21]);
        Assert.Equal(0f, block[22]);
    }

    [Fact]
    public void BadInputIsRefusedWithWhatToFix()
    {
        var instrument = new Instrument();
        Assert.Throws<ArgumentOutOfRangeException>(() => instrument.NoteOn(128));
        Assert.Throws<FormatException>(() => instrument.NoteOn("H4"));
        Assert.Contains("velocity", Assert.Throws<ArgumentOutOfRangeException>(() => instrument.NoteOn(60, 1.5)).Message);
        Assert.Contains("polyphony", Assert.Throws<ArgumentOutOfRangeException>(() => new Instrument(polyphony: 0)).Message);
        var error = Assert.Throws<FormatException>(() => Pattern.Steps("C4 X9 E4"));
        Assert.Contains("Step \"X9\"", error.Message);
        var wrongRate = new Instrument(_ => new MarkerVoice(44_100));
        Assert.Contains("44100 Hz when asked for 48000 Hz", Assert.Throws<InvalidOperationException>(() => wrongRate.Patch.Create(Rate)).Message);
    }

    private sealed class OpaqueVoice(int sampleRate) : IInstrumentVoice
    {
        public int SampleRate => sampleRate;

        public bool IsSounding => false;

        public void Start(MidiNote note, double velocity)
        {
        }

        public void Release()
        {
        }

        public int Read(Span<float> destination)
        {
            destination.Clear();
            return destination.Length;
        }
    }

    [Fact]
    public void AKeyTimedForItsListenerWaitsForItsSampleAcrossBlocksAndOthersOrOneTooFarAheadSoundAtOnce()
    {
        var instrument = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Sine }, gain: 1);
        var clock = new ListenerClock();
        var mine = instrument.CreateSource(48_000, clock);
        var theirs = instrument.CreateSource(48_000, new ListenerClock());
        var elsewhere = new float[512];
        instrument.Key(down: true, 69, 1, clock, at: 1_000);    // three blocks ahead of the first
        theirs.Read(elsewhere);
        instrument.Key(down: false, 69, 0, clock, at: 5_000);   // and its release
        var heard = new float[24_000];
        for (var b = 0; b < heard.Length / 256; b++)
        {
            clock.BlockStart = b * 256L;
            mine.Read(heard.AsSpan(b * 256, 256));
        }

        Assert.Equal(1_001, Array.FindIndex(heard, sample => sample != 0));   // struck on 1,000: a fresh voice's sine starts at 0
        Assert.True(Reference.MaxAbs(heard.AsSpan(4_000, 1_000)) > 0.5, "held until its release");
        Assert.True(Reference.MaxAbs(heard.AsSpan(5_000 + 12_000 + 100)) < 1e-6, "released on 5,000: silent 250 ms on");
        Assert.Equal(1, Array.FindIndex(elsewhere, sample => sample != 0));   // another listener: at its next block

        // Further ahead than a second: at once.
        instrument.Key(down: true, 60, 1, clock, at: clock.BlockStart + 256 + 48_001);
        clock.BlockStart += 256;
        var next = new float[256];
        mine.Read(next);
        Assert.InRange(Array.FindIndex(next, sample => sample != 0), 0, 1);
    }

    [Fact]
    public void AListenerThatJoinsWhileAKeyIsHeldHearsItFromItsFirstSampleAndNotOnceItIsLetGo()
    {
        var instrument = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Sine }, gain: 1);
        instrument.NoteOn("A4", 1);
        instrument.NoteOn("C4", 1);
        instrument.NoteOff("C4");
        var late = instrument.Patch.Render(0.5);
        var heard = late.Samples.ToArray();
        Assert.Equal(1, Array.FindIndex(heard, sample => sample != 0));   // a fresh voice's sine starts at 0
        var magnitudes = Spectrum.Magnitudes(heard.AsSpan(heard.Length - 16_384));
        Assert.Equal(440, Spectrum.BinToHz(Spectrum.PeakBin(magnitudes, 1), 16_384, 48_000), 3.0);
        Assert.True(Spectrum.MagnitudeNear(magnitudes, 261.6, 6, 16_384, 48_000) < 1e-3, "C4 was let go before it joined");

        instrument.AllNotesOff();
        Assert.All(instrument.Patch.Render(0.1).Samples.ToArray(), sample => Assert.Equal(0f, sample));
    }
}
