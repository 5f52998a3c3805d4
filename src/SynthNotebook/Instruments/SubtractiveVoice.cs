using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Instruments;

/// <summary>
/// The built-in voice: a band-limited oscillator at the note's pitch and the velocity's level, through a low-pass biquad,
/// through an ADSR envelope (<see cref="VoiceSettings"/>). A note started while it sounds moves the pitch (the phase runs
/// on) and restarts the envelope from its level: no click. Rewindable; nothing is allocated per block.
/// </summary>
public sealed class SubtractiveVoice : IInstrumentVoice, IRewindableSource
{
    private readonly BandLimitedOscillator _oscillator;
    private readonly AdsrEnvelope _envelope;
    private readonly IRewindableProcessor _filter;

    /// <summary>A silent voice at <paramref name="sampleRate"/>, made to <paramref name="settings"/> (the default when null).</summary>
    public SubtractiveVoice(int sampleRate, VoiceSettings? settings = null)
    {
        settings ??= VoiceSettings.Default;
        _oscillator = new BandLimitedOscillator(settings.Waveform, 0, sampleRate, amplitude: 0, pulseWidth: settings.PulseWidth);
        _envelope = new AdsrEnvelope(sampleRate, settings.Attack, settings.Decay, settings.Sustain, settings.Release);
        var cutoff = Math.Min(settings.Cutoff, 0.45 * sampleRate);
        _filter = (IRewindableProcessor)AudioChain.PassThrough.LowPass(cutoff, settings.Resonance).Create(sampleRate);
    }

    /// <inheritdoc />
    public int SampleRate => _oscillator.SampleRate;

    /// <inheritdoc />
    public bool IsSounding => _envelope.IsActive;

    /// <inheritdoc />
    public void Start(MidiNote note, double velocity)
    {
        _oscillator.Frequency = Math.Min(note.Frequency, 0.49 * SampleRate);
        _oscillator.Amplitude = ParameterGuard.InRange(velocity, 0, 1, "", nameof(velocity));
        _envelope.NoteOn();
    }

    /// <inheritdoc />
    public void Release() => _envelope.NoteOff();

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        // Oscillator → filter → envelope, and only while the envelope is active: after its release the voice is exactly
        // silent and its state stands still, whatever the block sizes (offline and streamed renders stay equal).
        var active = destination[.._envelope.ActiveSamples(destination.Length)];
        _oscillator.Read(active);
        _filter.Process(active);
        _envelope.Process(active);
        destination[active.Length..].Clear();
        return destination.Length;
    }

    /// <summary>Its state: the oscillator's phase and settings of the note, the envelope, the filter's memory.</summary>
    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    private sealed class Checkpoint(SubtractiveVoice voice) : ISourceCheckpoint
    {
        private readonly ISourceCheckpoint _phase = voice._oscillator.CreateCheckpoint();
        private readonly ISourceCheckpoint _envelope = voice._envelope.CreateCheckpoint();
        private readonly ISourceCheckpoint _filter = voice._filter.CreateCheckpoint();
        private double _frequency, _amplitude;

        public void Save()
        {
            (_frequency, _amplitude) = (voice._oscillator.Frequency, voice._oscillator.Amplitude);
            _phase.Save();
            _envelope.Save();
            _filter.Save();
        }

        public void Restore()
        {
            (voice._oscillator.Frequency, voice._oscillator.Amplitude) = (_frequency, _amplitude);
            _phase.Restore();
            _envelope.Restore();
            _filter.Restore();
        }
    }
}
