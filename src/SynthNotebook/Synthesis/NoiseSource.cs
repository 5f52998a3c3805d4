namespace SynthNotebook.Synthesis;

/// <summary>
/// White or pink noise from a seeded generator (xorshift: the same seed, the same samples, offline and live). Pink is
/// white through Paul Kellet's refined filter, a sum of seven one-pole sections that falls 3 dB an octave over the
/// audible range (NoiseSourceTests measures it octave by octave). Peak level about <see cref="Amplitude"/>. Rewindable: its checkpoint is the generator and the
/// filter state.
/// </summary>
public sealed class NoiseSource : IRewindableSource
{
    private const double PinkScale = 0.11;   // the filter's gain, to bring pink's level near white's
    private uint _state;
    private double _amplitude;
    private double _b0, _b1, _b2, _b3, _b4, _b5, _b6;

    /// <summary>Noise at <paramref name="sampleRate"/>; the same <paramref name="seed"/> renders the same samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range; the message names it.</exception>
    public NoiseSource(NoiseColor color, int sampleRate, double amplitude = 1, uint seed = 1)
    {
        if (!Enum.IsDefined(color))
        {
            throw new ArgumentOutOfRangeException(nameof(color), $"color must be White or Pink; got {color}.");
        }
        Color = color;
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        Amplitude = amplitude;
        _state = seed == 0 ? 1 : seed;   // xorshift stays at 0 forever
    }

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <summary>White or pink.</summary>
    public NoiseColor Color { get; }

    /// <summary>Level, in [0, <see cref="SynthLimits.MaxGain"/>].</summary>
    public double Amplitude
    {
        get => _amplitude;
        set => _amplitude = ParameterGuard.InRange(value, 0, SynthLimits.MaxGain, "", nameof(Amplitude));
    }

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        var amplitude = _amplitude;
        if (Color == NoiseColor.White)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)(amplitude * NextWhite());
            }
            return destination.Length;
        }
        for (var i = 0; i < destination.Length; i++)
        {
            var white = NextWhite();
            _b0 = 0.99886 * _b0 + white * 0.0555179;
            _b1 = 0.99332 * _b1 + white * 0.0750759;
            _b2 = 0.96900 * _b2 + white * 0.1538520;
            _b3 = 0.86650 * _b3 + white * 0.3104856;
            _b4 = 0.55000 * _b4 + white * 0.5329522;
            _b5 = -0.7616 * _b5 - white * 0.0168980;
            var pink = _b0 + _b1 + _b2 + _b3 + _b4 + _b5 + _b6 + white * 0.5362;
            _b6 = white * 0.115926;
            destination[i] = (float)(amplitude * PinkScale * pink);
        }
        return destination.Length;
    }

    /// <inheritdoc />
    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    /// <summary>Uniform in [−1, 1).</summary>
    private double NextWhite()
    {
        var x = _state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _state = x;
        return x * (2.0 / 4294967296.0) - 1;
    }

    private sealed class Checkpoint(NoiseSource noise) : ISourceCheckpoint
    {
        private uint _state;
        private double _b0, _b1, _b2, _b3, _b4, _b5, _b6;

        public void Save() => (_state, _b0, _b1, _b2, _b3, _b4, _b5, _b6) =
            (noise._state, noise._b0, noise._b1, noise._b2, noise._b3, noise._b4, noise._b5, noise._b6);

        public void Restore() => (noise._state, noise._b0, noise._b1, noise._b2, noise._b3, noise._b4, noise._b5, noise._b6) =
            (_state, _b0, _b1, _b2, _b3, _b4, _b5, _b6);
    }
}
