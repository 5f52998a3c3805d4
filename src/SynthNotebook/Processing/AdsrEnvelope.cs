using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// An attack–decay–sustain–release envelope, exact to the sample: after <see cref="NoteOn"/> the level rises in straight
/// steps and is full on the attack's last sample, falls to the sustain level over the decay, holds, and after
/// <see cref="NoteOff"/> falls to 0 over the release. A note-on or note-off mid-segment starts the next segment from the
/// level reached, so retriggering never clicks. As a processor it multiplies each block by the level.
/// </summary>
public sealed class AdsrEnvelope : IRewindableProcessor
{
    private readonly int _attack, _decay, _release;
    private readonly double _sustain;
    private double _level;
    private double _target;   // where the current segment ends
    private double _step;
    private int _remaining;   // samples left in the current segment

    /// <summary>An envelope at <paramref name="sampleRate"/>; times are rounded to whole samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite time, or a sustain outside [0, 1].</exception>
    public AdsrEnvelope(int sampleRate, TimeSpan attack, TimeSpan decay, double sustain, TimeSpan release)
    {
        ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        _attack = Samples(attack, sampleRate, nameof(attack));
        _decay = Samples(decay, sampleRate, nameof(decay));
        _release = Samples(release, sampleRate, nameof(release));
        _sustain = ParameterGuard.InRange(sustain, 0, 1);
    }

    /// <summary>The segment the envelope is in.</summary>
    public EnvelopeStage Stage { get; private set; }

    /// <summary>The level of the last sample rendered, in [0, 1].</summary>
    public double Level => _level;

    /// <summary>True until a release has ended: the voice it shapes still sounds.</summary>
    public bool IsActive => Stage != EnvelopeStage.Idle;

    /// <summary>Starts the attack from the level now.</summary>
    public void NoteOn() => Begin(EnvelopeStage.Attack, 1, _attack);

    /// <summary>Starts the release from the level now (nothing happens when already idle).</summary>
    public void NoteOff()
    {
        if (Stage is not (EnvelopeStage.Idle or EnvelopeStage.Release))
        {
            Begin(EnvelopeStage.Release, 0, _release);
        }
    }

    /// <summary>
    /// How many of the next <paramref name="count"/> samples the envelope is still active for: all of them until a
    /// release, then the release's samples left (0 once idle). A voice renders only those, so it ends on the same
    /// sample however its blocks are cut.
    /// </summary>
    public int ActiveSamples(int count) => Stage switch
    {
        EnvelopeStage.Idle => 0,
        EnvelopeStage.Release => Math.Min(count, _remaining),
        _ => count,
    };

    /// <summary>Multiplies <paramref name="block"/> by the envelope, sample by sample.</summary>
    public void Process(Span<float> block)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (float)(block[i] * Next());
        }
    }

    /// <summary>Writes the envelope's next levels into <paramref name="levels"/>.</summary>
    public void Render(Span<float> levels)
    {
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = (float)Next();
        }
    }

    /// <inheritdoc />
    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    private double Next()
    {
        if (_remaining == 0)
        {
            return _level;   // Idle or Sustain: a steady level
        }
        _level += _step;
        if (--_remaining > 0)
        {
            return _level;
        }
        // The segment's last sample is exactly its target; the next segment starts with the sample after it.
        var last = _target;
        EndSegment();
        return last;
    }

    /// <summary>Enters <paramref name="stage"/>, reaching <paramref name="target"/> in <paramref name="samples"/> steps (at once when 0).</summary>
    private void Begin(EnvelopeStage stage, double target, int samples)
    {
        Stage = stage;
        _target = target;
        if (samples > 0)
        {
            _step = (target - _level) / samples;
            _remaining = samples;
            return;
        }
        EndSegment();
    }

    /// <summary>Puts the level at the segment's target and enters the segment after it.</summary>
    private void EndSegment()
    {
        _level = _target;
        _remaining = 0;
        switch (Stage)
        {
            case EnvelopeStage.Attack:
                Begin(EnvelopeStage.Decay, _sustain, _decay);
                break;
            case EnvelopeStage.Decay:
                Stage = EnvelopeStage.Sustain;
                break;
            default:
                Stage = EnvelopeStage.Idle;
                break;
        }
    }

    private static int Samples(TimeSpan time, int sampleRate, string name) =>
        time >= TimeSpan.Zero && time.TotalSeconds * sampleRate <= int.MaxValue
            ? (int)Math.Round(time.TotalSeconds * sampleRate)
            : throw new ArgumentOutOfRangeException(name, $"{name} must be a time of 0 or more; got {time}.");

    private sealed class Checkpoint(AdsrEnvelope envelope) : ISourceCheckpoint
    {
        private (EnvelopeStage Stage, double Level, double Target, double Step, int Remaining) _state;

        public void Save() => _state = (envelope.Stage, envelope._level, envelope._target, envelope._step, envelope._remaining);

        public void Restore() => (envelope.Stage, envelope._level, envelope._target, envelope._step, envelope._remaining) = _state;
    }
}
