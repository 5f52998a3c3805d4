using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Instruments;

/// <summary>
/// A polyphonic instrument every listener hears alike: notes pressed and released (from the player's keyboard, Web MIDI
/// or a cell), single notes with a length, and patterns on a tempo. Each listener plays it through its own voices at its
/// own rate (<see cref="Polyphony"/> of them, a voice stolen when all are busy); give it to a server with
/// <c>server.Source = piano;</c>. Thread-safe: play it from any thread while it streams.
/// </summary>
/// <example><code>
/// var piano = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Square, Cutoff = 1500 });
/// server.Source = piano;
/// piano.Play("C4", 0.5);                                         // a note for half a second
/// piano.Play(Pattern.Steps("C4 E4 G4 C5", bpm: 120));           // on the tempo, to the sample
/// Sound take = piano.Render(Pattern.Steps("C4 E4 G4 C5"));      // the same, offline
/// var mine = new Instrument(rate =&gt; new MyVoice(rate));        // a voice of your own (IInstrumentVoice)
/// </code></example>
public sealed class Instrument
{
    private readonly Func<int, IInstrumentVoice> _voice;
    private readonly InstrumentEventLog _log = new();
    private readonly Lock _playing = new();
    private readonly double[] _heldVelocity = [.. Enumerable.Repeat(-1.0, 128)];   // per key held down now; −1 when up
    private double _gain;

    /// <summary>An instrument of the built-in voice made to <paramref name="settings"/>.</summary>
    public Instrument(VoiceSettings? settings = null, int polyphony = 16, double gain = 0.3, string name = "instrument")
        : this(rate => new SubtractiveVoice(rate, settings), polyphony, gain, name)
    {
    }

    /// <summary>An instrument whose voices <paramref name="voice"/> makes, <paramref name="polyphony"/> per listener, at its rate.</summary>
    public Instrument(Func<int, IInstrumentVoice> voice, int polyphony = 16, double gain = 0.3, string name = "instrument")
    {
        _voice = voice ?? throw new ArgumentNullException(nameof(voice));
        Polyphony = ParameterGuard.InRange(polyphony, 1, 128, nameof(polyphony));
        Gain = gain;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Patch = Patch.Of(this);
    }

    /// <summary>What the player's status line calls it.</summary>
    public string Name { get; }

    /// <summary>Voices per listener: notes that can sound at once before one is stolen.</summary>
    public int Polyphony { get; }

    /// <summary>The level every voice is mixed at, in [0, <see cref="SynthLimits.MaxGain"/>]; changes at the next block.</summary>
    public double Gain
    {
        get => Volatile.Read(ref _gain);
        set => Volatile.Write(ref _gain, ParameterGuard.InRange(value, 0, SynthLimits.MaxGain, "", nameof(Gain)));
    }

    /// <summary>This instrument as a server plays it (and as the page's keyboard finds it).</summary>
    public Patch Patch { get; }

    /// <summary>The instrument as a patch: <c>server.Source = piano;</c></summary>
    public static implicit operator Patch(Instrument instrument) => instrument.Patch;

    /// <summary>Raised after every note, release or phrase, on the thread that played it (servers tell their players).</summary>
    internal event Action? Played;

    /// <summary>Presses <paramref name="note"/> (a MIDI number or a name like "C4") at <paramref name="velocity"/> (0–1) until <see cref="NoteOff"/>.</summary>
    public void NoteOn(MidiNote note, double velocity = 0.8)
        => Append(new InstrumentEvent.NoteOn(note.Number, ParameterGuard.InRange(velocity, 0, 1, "", nameof(velocity))));

    /// <summary>Lets go of <paramref name="note"/>: its voices begin their release.</summary>
    public void NoteOff(MidiNote note) => Append(new InstrumentEvent.NoteOff(note.Number));

    /// <summary>A key from a listener's page, to sound on its stream's sample <paramref name="at"/> for that listener.</summary>
    internal void Key(bool down, int note, double velocity, ListenerClock? listener, long at)
        => Append(down ? new InstrumentEvent.NoteOn(note, velocity, listener, at) : new InstrumentEvent.NoteOff(note, listener, at));

    /// <summary>Releases every note and stops every pattern.</summary>
    public void AllNotesOff() => Append(new InstrumentEvent.AllNotesOff());

    /// <summary>Plays <paramref name="note"/> for <paramref name="seconds"/> (to the sample at each listener's rate), then releases it.</summary>
    public void Play(MidiNote note, double seconds, double velocity = 0.8)
    {
        ParameterGuard.InRange(seconds, 0, 3600, " s", nameof(seconds));
        ParameterGuard.InRange(velocity, 0, 1, "", nameof(velocity));
        Append(new InstrumentEvent.Play(new Phrase([(0, seconds, note.Number, velocity)])));
    }

    /// <summary>Plays <paramref name="pattern"/> from each listener's next block, every note on its sample.</summary>
    public void Play(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Append(new InstrumentEvent.Play(Phrase.Of(pattern)));
    }

    /// <summary>
    /// <paramref name="pattern"/> rendered offline, from silence, for <paramref name="seconds"/> (its length and the
    /// longest release when null): sample for sample what a listener at this rate and block size hears from the block
    /// the pattern starts on, when nothing else plays.
    /// </summary>
    public Sound Render(Pattern pattern, double? seconds = null, int sampleRate = 48_000, int blockSize = 256)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var log = new InstrumentEventLog();
        log.Append(new InstrumentEvent.Play(Phrase.Of(pattern)));
        var source = InstrumentSource.Create(this, log, MakeVoices(sampleRate), applied: 0);
        return source.Render(seconds ?? pattern.Seconds + 1, blockSize);
    }

    /// <summary>A listener's instrument at <paramref name="sampleRate"/>: it plays what is done from now on.</summary>
    /// <remarks>A listener that joins while keys are held hears them from its first sample (a phrase, from its next one).</remarks>
    internal ISampleSource CreateSource(int sampleRate, ListenerClock? listener)
    {
        var voices = MakeVoices(sampleRate);
        lock (_playing)
        {
            var held = Enumerable.Range(0, 128).Where(note => _heldVelocity[note] >= 0).Select(note => (note, _heldVelocity[note])).ToArray();
            return InstrumentSource.Create(this, _log, voices, _log.Count, listener, held);
        }
    }

    private IInstrumentVoice[] MakeVoices(int sampleRate)
    {
        ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        var voices = new IInstrumentVoice[Polyphony];
        for (var i = 0; i < voices.Length; i++)
        {
            voices[i] = _voice(sampleRate) ?? throw new InvalidOperationException($"The voice recipe of '{Name}' returned null.");
            if (voices[i].SampleRate != sampleRate)
            {
                throw new InvalidOperationException(
                    $"The voice recipe of '{Name}' made a voice at {voices[i].SampleRate} Hz when asked for {sampleRate} Hz: make it at the rate it is given.");
            }
        }
        return voices;
    }

    private void Append(InstrumentEvent instrumentEvent)
    {
        lock (_playing)   // the keys held and the log agree for a listener that joins now
        {
            switch (instrumentEvent)
            {
                case InstrumentEvent.NoteOn on:
                    _heldVelocity[on.Note] = on.Velocity;
                    break;
                case InstrumentEvent.NoteOff off:
                    _heldVelocity[off.Note] = -1;
                    break;
                case InstrumentEvent.AllNotesOff:
                    Array.Fill(_heldVelocity, -1);
                    break;
            }
            _log.Append(instrumentEvent);
        }
        Played?.Invoke();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Polyphony} voices)";
}
