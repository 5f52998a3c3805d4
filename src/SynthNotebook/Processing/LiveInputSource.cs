using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// One listener's reader of a <see cref="LiveInput"/>: the feed's samples at the listener's rate, through a windowed
/// sinc (<see cref="WindowedSinc"/>), a cushion behind the newest one. The feed's clock and the listener's drift apart,
/// so once the averaged distance to the newest sample strays from the cushion by more than a quarter of it, the
/// conversion ratio is trimmed (by at most <see cref="MaxTrim"/>, a few cents) to bring it back; within that band the
/// pitch is exact. When the input runs out the reader fades out over what it holds in reserve and waits for a cushion of
/// new input; if it had played a while (two cushions: not a listener filling its own cushion in a burst, which no live
/// input can keep up with), the feed's jitter is more than the cushion, so it takes one half as thick again (up to
/// <see cref="MostCushions"/> times the one asked for); when it finds itself far behind (a burst after a stall) it fades out and starts again a
/// cushion behind. Each start fades in.
/// Rewindable: its whole state is a position in the ring and its controller, and the ring keeps what it read.
/// </summary>
internal sealed class LiveInputSource : IRewindableSource
{
    private const double MaxTrim = 0.005;            // ±0.5 %: 8.6 cents at worst, far beyond real clocks' drift
    private const double SmoothingSeconds = 1.0;     // the fill's average spans many feed blocks
    private const double CorrectionSeconds = 3.0;    // an average off by x past the band is made good over about this long
    private const double BandOfCushion = 0.25;       // no trim while the average is within a quarter cushion of it
    private const int Lookahead = WindowedSinc.Taps / 2;
    private const double GrowthPerUnderrun = 1.5;
    private const double MostCushions = 4;

    private readonly LiveInput _input;
    private readonly TimeSpan _cushionAsked;
    private TimeSpan _cushion;                       // grows at underruns, kept across takes (the path's jitter)
    private readonly int _fadeLength;
    private State _state;

    public LiveInputSource(LiveInput input, int sampleRate, TimeSpan cushion)
    {
        _input = input;
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        _cushion = _cushionAsked = cushion;
        _fadeLength = CrossFade.SamplesAt(sampleRate);
        _state.Take = LiveInput.Take.None;
    }

    public int SampleRate { get; }

    public int Read(Span<float> destination)
    {
        var (take, written) = _input.Snapshot();
        if (take.Id != _state.Take.Id)
        {
            if (_state.Playing)
            {
                // The feed hung up or another took over: what is left of the old take fades out first.
                FadeOutTheRest(destination, take.Id == 0 ? written : take.Start);
                Follow(take);
                return destination.Length;
            }
            Follow(take);
        }
        if (!_state.Playing && !TryStart(written))
        {
            destination.Clear();
            return destination.Length;
        }
        ref var s = ref _state;
        var fill = written - s.Position;
        s.SmoothedFill += Math.Min(1, destination.Length * s.NominalStep / (s.Take.SampleRate * SmoothingSeconds)) * (fill - s.SmoothedFill);
        var error = s.SmoothedFill - s.CushionSamples;
        var beyond = Math.Sign(error) * Math.Max(0, Math.Abs(error) - BandOfCushion * s.CushionSamples);
        var trim = 1 + Math.Clamp(beyond / (s.Take.SampleRate * CorrectionSeconds), -MaxTrim, MaxTrim);
        var step = s.Step = s.NominalStep * trim;

        // Normal samples keep a fade's worth of input in reserve, so running out always fades over real samples.
        var reserve = _fadeLength * step;
        var count = Render(destination, step, written - Lookahead - reserve);
        s.PlayedSinceStart += count;
        FadeIn(destination[..count]);
        if (count < destination.Length)
        {
            var tail = Render(destination[count..], step, written - Lookahead);
            FadeOut(destination.Slice(count, tail));
            destination[(count + tail)..].Clear();
            s.Playing = false;
            s.WaitFrom = written;   // what comes next starts a cushion after this: never old input again
            _input.CountUnderrun();
            if (s.PlayedSinceStart >= 2 * s.CushionSamples / s.NominalStep)
            {
                Grow();
            }
        }
        else if (fill > s.RestartFill)
        {
            FadeOut(destination[..Math.Min(destination.Length, _fadeLength)]);
            destination[Math.Min(destination.Length, _fadeLength)..].Clear();
            s.Playing = false;
            _input.CountRestart();
        }
        return destination.Length;
    }

    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    /// <summary>How far behind the newest sample this reader plays now (the cushion asked for, or more after underruns).</summary>
    public TimeSpan Cushion => _cushion;

    private void Grow()
    {
        _cushion = TimeSpan.FromTicks((long)Math.Min(_cushion.Ticks * GrowthPerUnderrun, _cushionAsked.Ticks * MostCushions));
        ApplyCushion();
    }

    private void ApplyCushion()
    {
        ref var s = ref _state;
        s.CushionSamples = _cushion.TotalSeconds * s.Take.SampleRate;
        s.RestartFill = 2 * s.CushionSamples + 0.05 * s.Take.SampleRate;
    }

    /// <summary>A fade to silence over what the take holds up to <paramref name="end"/>, and silence after it.</summary>
    private void FadeOutTheRest(Span<float> destination, long end)
    {
        var fade = destination[..Math.Min(destination.Length, _fadeLength)];
        var count = Render(fade, _state.Step, end - Lookahead);
        FadeIn(fade[..count]);
        FadeOut(fade[..count]);
        destination[count..].Clear();
    }

    private void Follow(LiveInput.Take take)
    {
        _state = new State { Take = take };
        if (take.Id != 0)
        {
            _state.Sinc = WindowedSinc.For(take.SampleRate, SampleRate);
            _state.NominalStep = (double)take.SampleRate / SampleRate;
            ApplyCushion();
        }
    }

    /// <summary>
    /// Starts a cushion behind the newest sample once the take holds that much since it began or the reader last ran
    /// out (and a window's lookahead).
    /// </summary>
    private bool TryStart(long written)
    {
        ref var s = ref _state;
        if (s.Take.Id == 0 || written - Math.Max(s.Take.Start, s.WaitFrom) < s.CushionSamples + Lookahead + 1)
        {
            return false;
        }
        s.Position = written - Math.Ceiling(s.CushionSamples);
        s.SmoothedFill = written - s.Position;
        s.Step = s.NominalStep;
        s.FadedIn = 0;
        s.PlayedSinceStart = 0;
        s.Playing = true;
        return true;
    }

    /// <summary>Renders samples while their position is below <paramref name="limit"/>; returns how many.</summary>
    private int Render(Span<float> destination, double step, double limit)
    {
        ref var s = ref _state;
        var sinc = s.Sinc!;
        var position = s.Position;
        var i = 0;
        for (; i < destination.Length && position < limit; i++)
        {
            var whole = Math.Floor(position);
            destination[i] = sinc.At(_input.Window((long)whole - Lookahead + 1), position - whole);
            position += step;
        }
        s.Position = position;
        return i;
    }

    private void FadeIn(Span<float> block)
    {
        ref var faded = ref _state.FadedIn;
        for (var i = 0; i < block.Length && faded < _fadeLength; i++, faded++)
        {
            block[i] *= (faded + 1f) / _fadeLength;
        }
    }

    private void FadeOut(Span<float> block)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] *= (float)(block.Length - 1 - i) / block.Length;
        }
    }

    private struct State
    {
        public LiveInput.Take Take;
        public WindowedSinc? Sinc;
        public double NominalStep, CushionSamples, RestartFill;
        public double Step;          // input samples per output sample, trim included, as last rendered
        public bool Playing;
        public long WaitFrom;        // after running out: the newest sample then
        public double Position;      // in the take's samples, absolute in the ring
        public double SmoothedFill;  // samples between the newest and the position, averaged
        public int FadedIn;
        public long PlayedSinceStart;   // samples out since it last started
    }

    private sealed class Checkpoint(LiveInputSource owner) : ISourceCheckpoint
    {
        private State _saved = new() { Take = LiveInput.Take.None };

        public void Save() => _saved = owner._state;

        public void Restore()
        {
            owner._state = _saved;
            owner.ApplyCushion();   // a cushion grown since is kept: it is what the feed's jitter needs
        }
    }
}
