namespace SynthNotebook.Synthesis;

/// <summary>
/// One oscillator (sine, saw, square with pulse width, triangle) whose jumps and kinks are band-limited with PolyBLEP
/// and PolyBLAMP corrections. A 5 kHz saw or square at 48 kHz has its strongest alias 22 dB under the fundamental (its
/// 5th harmonic folded to 23 kHz) and none over −36 dB below 16 kHz, where a naive one has −14 and −17 dB; a triangle
/// −36 and −53 dB (BandLimitedOscillatorTests). Frequency, amplitude and pulse width may change between
/// blocks; the phase runs on, so a change never clicks. Rewindable: its checkpoint is its phase.
/// </summary>
public sealed class BandLimitedOscillator : IRewindableSource
{
    private double _frequency;
    private double _amplitude;
    private double _pulseWidth;
    private double _phase;   // in cycles, [0, 1)

    /// <summary>An oscillator at <paramref name="sampleRate"/>, starting at phase 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range; the message names it.</exception>
    public BandLimitedOscillator(Waveform waveform, double frequency, int sampleRate, double amplitude = 1,
        double pulseWidth = 0.5)
    {
        if (!Enum.IsDefined(waveform))
        {
            throw new ArgumentOutOfRangeException(nameof(waveform), $"waveform must be one of {string.Join(", ", Enum.GetNames<Waveform>())}; got {waveform}.");
        }
        Waveform = waveform;
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        Frequency = frequency;
        Amplitude = amplitude;
        PulseWidth = pulseWidth;
    }

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <summary>The cycle's shape.</summary>
    public Waveform Waveform { get; }

    /// <summary>Cycles per second, in [0, the Nyquist frequency).</summary>
    public double Frequency
    {
        get => _frequency;
        set => _frequency = value >= 0 && value < SampleRate / 2.0 ? value
            : throw new ArgumentOutOfRangeException(nameof(Frequency), $"Frequency must be in [0, {SampleRate / 2.0}) Hz (below the Nyquist frequency of {SampleRate} Hz); got {value}.");
    }

    /// <summary>Peak level, in [0, <see cref="SynthLimits.MaxGain"/>].</summary>
    public double Amplitude
    {
        get => _amplitude;
        set => _amplitude = ParameterGuard.InRange(value, 0, SynthLimits.MaxGain, "", nameof(Amplitude));
    }

    /// <summary>The part of a square's cycle that is high, in [0.01, 0.99] (0.5: a square wave).</summary>
    public double PulseWidth
    {
        get => _pulseWidth;
        set => _pulseWidth = ParameterGuard.InRange(value, 0.01, 0.99, "", nameof(PulseWidth));
    }

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        var dt = _frequency / SampleRate;
        var phase = _phase;
        var amplitude = _amplitude;
        switch (Waveform)
        {
            case Waveform.Sine:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)(amplitude * Math.Sin(2 * Math.PI * phase));
                    phase = Advance(phase, dt);
                }
                break;
            case Waveform.Saw:
                for (var i = 0; i < destination.Length; i++)
                {
                    // The naive ramp drops by 2 at phase 0: a step of −2.
                    destination[i] = (float)(amplitude * (2 * phase - 1 - PolyBlep.Step(phase, dt)));
                    phase = Advance(phase, dt);
                }
                break;
            case Waveform.Square:
                var width = _pulseWidth;
                for (var i = 0; i < destination.Length; i++)
                {
                    var fall = phase - width;
                    var value = (phase < width ? 1 : -1) + PolyBlep.Step(phase, dt) - PolyBlep.Step(fall < 0 ? fall + 1 : fall, dt);
                    destination[i] = (float)(amplitude * value);
                    phase = Advance(phase, dt);
                }
                break;
            default:
                for (var i = 0; i < destination.Length; i++)
                {
                    // Slope ±4 a cycle: it turns by +8 cycles⁻¹ (8·dt a sample) at phase 0 and by −8 at one half.
                    var half = phase < 0.5 ? phase + 0.5 : phase - 0.5;
                    var naive = phase < 0.5 ? 4 * phase - 1 : 3 - 4 * phase;
                    var value = naive + 8 * dt * (PolyBlep.Kink(phase, dt) - PolyBlep.Kink(half, dt));
                    destination[i] = (float)(amplitude * value);
                    phase = Advance(phase, dt);
                }
                break;
        }
        _phase = phase;
        return destination.Length;
    }

    /// <inheritdoc />
    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    private static double Advance(double phase, double dt)
    {
        phase += dt;
        return phase >= 1 ? phase - 1 : phase;
    }

    private sealed class Checkpoint(BandLimitedOscillator oscillator) : ISourceCheckpoint
    {
        private double _phase;

        public void Save() => _phase = oscillator._phase;

        public void Restore() => oscillator._phase = _phase;
    }
}
