using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SynthNotebook.Synthesis;

/// <summary>
/// One listener's voice of a <see cref="Synth"/>: its own phases, at its own sample rate, following the synth's
/// shared parameters. Not thread-safe itself (one renderer per voice); the parameters it reads are.
/// </summary>
/// <remarks>
/// Phases are kept in cycles, in double precision, wrapped to [0, 1): a voice that has played for hours is as exact
/// and as fast as a new one. Steady components are rendered with a SIMD second-order recurrence
/// (y[n+L] = 2cos(Lω)·y[n] − y[n−L]) re-anchored at every chunk from the exact phase; components that are gliding
/// after a change take a per-sample path with linearly ramped frequency and amplitude, so the output and its slope
/// stay continuous. Nothing is allocated per block.
/// </remarks>
public sealed class OscillatorBank : IRewindableSource
{
    // Small enough for the accumulator to live in L1, large enough to amortise the per-chunk re-anchoring.
    private const int ChunkSize = 1024;
    private const double TwoPi = 2 * Math.PI;
    private static readonly int Lanes = Vector<double>.Count;

    private readonly Synth _synth;
    private readonly int _rampSamples;
    private readonly double _normalisation;
    private readonly double[] _accumulator = new double[ChunkSize];
    private readonly Oscillator[] _oscillators;
    private readonly LaneCache[] _laneCaches;
    private readonly int[] _steady;
    private long _appliedVersion = -1;
    private double _gain;
    private double _gainTarget;
    private double _gainStep;
    private int _gainRampRemaining;

    internal OscillatorBank(Synth synth, int sampleRate)
    {
        _synth = synth;
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        _rampSamples = (int)Math.Round(synth.Ramp.TotalSeconds * sampleRate);
        var count = synth.ComponentCount;
        _normalisation = 1.0 / count;
        _oscillators = new Oscillator[count];
        _laneCaches = new LaneCache[count];
        _steady = new int[count];
        for (var i = 0; i < count; i++)
        {
            _laneCaches[i] = new LaneCache(Lanes);
        }
        ApplyParameters(synth.Parameters, glide: false);
    }

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <summary>Samples rendered (or skipped) since this voice was created.</summary>
    public long Position { get; private set; }

    /// <summary>The <see cref="SynthParameters.Version"/> this voice last took up.</summary>
    public long ParametersVersion => _appliedVersion;

    /// <summary>Renders the next <c>destination.Length</c> samples; always fills the span (the stream never ends).</summary>
    public int Read(Span<float> destination)
    {
        TakeUpParameters();
        var offset = 0;
        while (offset < destination.Length)
        {
            var length = ChunkLength(destination.Length - offset);
            var accumulator = _accumulator.AsSpan(0, length);
            accumulator.Clear();
            RenderComponents(accumulator);
            WriteOutput(accumulator, destination.Slice(offset, length));
            offset += length;
        }
        Position += destination.Length;
        return destination.Length;
    }

    /// <summary>
    /// Advances the voice by <paramref name="sampleCount"/> samples as if they had been rendered, in constant time
    /// (a glide in progress is rendered out first).
    /// </summary>
    public void Skip(long sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        TakeUpParameters();
        Span<float> discard = stackalloc float[ChunkSize];
        while (sampleCount > 0 && IsGliding)
        {
            var length = (int)Math.Min(sampleCount, ChunkSize);
            Read(discard[..length]);
            sampleCount -= length;
        }
        foreach (ref var oscillator in _oscillators.AsSpan())
        {
            oscillator.Phase = Wrap(oscillator.Phase + CyclesIn(sampleCount, oscillator.Increment));
        }
        Position += sampleCount;
    }

    /// <inheritdoc />
    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    private bool IsGliding
    {
        get
        {
            foreach (ref readonly var oscillator in _oscillators.AsSpan())
            {
                if (oscillator.GlideRemaining > 0)
                {
                    return true;
                }
            }
            return _gainRampRemaining > 0;
        }
    }

    private void TakeUpParameters()
    {
        var parameters = _synth.Parameters;
        if (parameters.Version != _appliedVersion)
        {
            ApplyParameters(parameters, glide: _rampSamples > 0);
        }
    }

    private void ApplyParameters(SynthParameters parameters, bool glide)
    {
        var components = parameters.Components;
        for (var i = 0; i < _oscillators.Length; i++)
        {
            ref var oscillator = ref _oscillators[i];
            var increment = components[i].Frequency / SampleRate;
            // Above this listener's Nyquist frequency a component would alias: it fades out instead.
            var amplitude = increment <= 0.5 ? components[i].Amplitude : 0.0;
            increment = Math.Min(increment, 0.5);
            if (increment == oscillator.TargetIncrement && amplitude == oscillator.TargetAmplitude)
            {
                continue;
            }
            oscillator.TargetIncrement = increment;
            oscillator.TargetAmplitude = amplitude;
            if (glide)
            {
                oscillator.GlideRemaining = _rampSamples;
                oscillator.IncrementStep = (increment - oscillator.Increment) / _rampSamples;
                oscillator.AmplitudeStep = (amplitude - oscillator.Amplitude) / _rampSamples;
            }
            else
            {
                oscillator.EndGlide();
            }
        }

        _gainTarget = parameters.Gain;
        if (glide && _gain != _gainTarget)
        {
            _gainRampRemaining = _rampSamples;
            _gainStep = (_gainTarget - _gain) / _rampSamples;
        }
        else
        {
            // No glide, or already at the target: also ends a ramp still heading for an abandoned target.
            _gain = _gainTarget;
            _gainRampRemaining = 0;
        }
        _appliedVersion = parameters.Version;
    }

    /// <summary>A chunk ends where any glide ends, so each oscillator is either gliding or steady for a whole chunk.</summary>
    private int ChunkLength(int remaining)
    {
        var length = Math.Min(remaining, ChunkSize);
        foreach (ref readonly var oscillator in _oscillators.AsSpan())
        {
            if (oscillator.GlideRemaining > 0)
            {
                length = Math.Min(length, oscillator.GlideRemaining);
            }
        }
        return length;
    }

    private void RenderComponents(Span<double> accumulator)
    {
        var steadyCount = 0;
        for (var i = 0; i < _oscillators.Length; i++)
        {
            ref var oscillator = ref _oscillators[i];
            if (oscillator.GlideRemaining > 0)
            {
                RenderGlide(ref oscillator, accumulator);
            }
            else if (oscillator.Amplitude != 0)
            {
                _steady[steadyCount++] = i;
            }
            else
            {
                oscillator.Phase = Wrap(oscillator.Phase + accumulator.Length * oscillator.Increment);
            }
        }

        var group = 0;
        for (; group + 4 <= steadyCount; group += 4)
        {
            RenderSteady4(_steady.AsSpan(group, 4), accumulator);
        }
        for (; group < steadyCount; group++)
        {
            RenderSteady1(_steady[group], accumulator);
        }
    }

    private static void RenderGlide(ref Oscillator oscillator, Span<double> accumulator)
    {
        for (var i = 0; i < accumulator.Length; i++)
        {
            accumulator[i] += oscillator.Amplitude * Math.Sin(TwoPi * oscillator.Phase);
            oscillator.Phase += oscillator.Increment;
            if (oscillator.Phase >= 1.0)
            {
                oscillator.Phase -= 1.0;
            }
            oscillator.Increment += oscillator.IncrementStep;
            oscillator.Amplitude += oscillator.AmplitudeStep;
        }
        oscillator.GlideRemaining -= accumulator.Length;
        if (oscillator.GlideRemaining == 0)
        {
            oscillator.EndGlide();
        }
    }

    // Four independent recurrences per loop hide the latency of each one's fused multiply-add chain.
    private void RenderSteady4(ReadOnlySpan<int> indices, Span<double> accumulator)
    {
        var (y0, p0, k0) = Anchor(indices[0]);
        var (y1, p1, k1) = Anchor(indices[1]);
        var (y2, p2, k2) = Anchor(indices[2]);
        var (y3, p3, k3) = Anchor(indices[3]);
        Recur4(accumulator, y0, p0, k0, y1, p1, k1, y2, p2, k2, y3, p3, k3);
        foreach (var index in indices)
        {
            AdvancePhase(ref _oscillators[index], accumulator.Length);
        }
    }

    /// <summary>
    /// The inner loop, apart so that its state is plain vector parameters the JIT keeps in registers (12 of the 16 AVX
    /// registers); tuples or out variables made it store and reload every recurrence through the stack each step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised from the first block, not after tiering up
    private static void Recur4(Span<double> accumulator,
        Vector<double> y0, Vector<double> p0, Vector<double> k0, Vector<double> y1, Vector<double> p1, Vector<double> k1,
        Vector<double> y2, Vector<double> p2, Vector<double> k2, Vector<double> y3, Vector<double> p3, Vector<double> k3)
    {
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(accumulator);
        for (var j = 0; j < vectors.Length; j++)
        {
            vectors[j] += (y0 + y1) + (y2 + y3);
            var n0 = Vector.FusedMultiplyAdd(k0, y0, -p0);
            var n1 = Vector.FusedMultiplyAdd(k1, y1, -p1);
            var n2 = Vector.FusedMultiplyAdd(k2, y2, -p2);
            var n3 = Vector.FusedMultiplyAdd(k3, y3, -p3);
            p0 = y0;
            p1 = y1;
            p2 = y2;
            p3 = y3;
            y0 = n0;
            y1 = n1;
            y2 = n2;
            y3 = n3;
        }
        for (var t = vectors.Length * Lanes; t < accumulator.Length; t++)
        {
            var lane = t - vectors.Length * Lanes;
            accumulator[t] += y0[lane] + y1[lane] + y2[lane] + y3[lane];
        }
    }

    private void RenderSteady1(int index, Span<double> accumulator)
    {
        var (y, previous, k) = Anchor(index);
        Recur1(accumulator, y, previous, k);
        AdvancePhase(ref _oscillators[index], accumulator.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Recur1(Span<double> accumulator, Vector<double> y, Vector<double> previous, Vector<double> k)
    {
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(accumulator);
        for (var j = 0; j < vectors.Length; j++)
        {
            vectors[j] += y;
            var next = Vector.FusedMultiplyAdd(k, y, -previous);
            previous = y;
            y = next;
        }
        for (var t = vectors.Length * Lanes; t < accumulator.Length; t++)
        {
            accumulator[t] += y[t - vectors.Length * Lanes];
        }
    }

    /// <summary>
    /// Starts a recurrence at the oscillator's exact phase, scaled by its amplitude a (the recurrence is linear):
    /// lane l of <c>y</c> holds a·sin(2π(φ + l·δ)), lane l of <c>previous</c> holds a·sin(2π(φ + (l − L)·δ)).
    /// </summary>
    private (Vector<double> Y, Vector<double> Previous, Vector<double> K) Anchor(int index)
    {
        ref readonly var oscillator = ref _oscillators[index];
        var cache = _laneCaches[index];
        cache.Update(oscillator.Increment);
        var (sin, cos) = Math.SinCos(TwoPi * oscillator.Phase);
        var amplitude = oscillator.Amplitude;
        var y = (cache.Cos * sin + cache.Sin * cos) * amplitude;
        var previous = (cache.PreviousCos * sin + cache.PreviousSin * cos) * amplitude;
        return (y, previous, cache.K);
    }

    private static void AdvancePhase(ref Oscillator oscillator, int samples)
        => oscillator.Phase = Wrap(oscillator.Phase + samples * oscillator.Increment);

    private void WriteOutput(ReadOnlySpan<double> accumulator, Span<float> destination)
    {
        var i = 0;
        for (; i < accumulator.Length && _gainRampRemaining > 0; i++, _gainRampRemaining--)
        {
            destination[i] = (float)(accumulator[i] * _gain * _normalisation);
            _gain += _gainStep;
        }
        if (_gainRampRemaining == 0)
        {
            _gain = _gainTarget;
        }

        var scale = _gain * _normalisation;
        var source = MemoryMarshal.Cast<double, Vector<double>>(accumulator[i..]);
        var target = MemoryMarshal.Cast<float, Vector<float>>(destination[i..]);
        var pairs = Math.Min(source.Length / 2, target.Length);
        for (var v = 0; v < pairs; v++)
        {
            target[v] = Vector.Narrow(source[2 * v] * scale, source[2 * v + 1] * scale);
        }
        for (i += pairs * 2 * Lanes; i < accumulator.Length; i++)
        {
            destination[i] = (float)(accumulator[i] * scale);
        }
    }

    /// <summary>
    /// n·δ with the whole cycles dropped exactly: 2^20·δ is exact in binary, so even 10^11 samples add only ~1e-11
    /// cycles of rounding to the error δ itself carries (δ = f/fs rounded to a double, as when rendering).
    /// </summary>
    private static double CyclesIn(long samples, double increment)
    {
        const int Shift = 20;
        var high = samples >> Shift;
        var low = samples & ((1L << Shift) - 1);
        return Wrap(high * Wrap(increment * (1L << Shift))) + Wrap(low * increment);
    }

    private static double Wrap(double cycles) => cycles - Math.Floor(cycles);

    private struct Oscillator
    {
        public double Phase;          // cycles, in [0, 1)
        public double Increment;      // cycles per sample: frequency / sample rate
        public double Amplitude;
        public double TargetIncrement;
        public double TargetAmplitude;
        public double IncrementStep;
        public double AmplitudeStep;
        public int GlideRemaining;

        public void EndGlide()
        {
            Increment = TargetIncrement;
            Amplitude = TargetAmplitude;
            GlideRemaining = 0;
        }
    }

    /// <summary>
    /// The voice's state: phases, glides, gain ramp, the parameter version it took up and its position. The lane
    /// caches are not state: they follow each oscillator's increment.
    /// </summary>
    private sealed class Checkpoint(OscillatorBank bank) : ISourceCheckpoint
    {
        private readonly Oscillator[] _oscillators = new Oscillator[bank._oscillators.Length];
        private long _appliedVersion;
        private double _gain, _gainTarget, _gainStep;
        private int _gainRampRemaining;
        private long _position;

        public void Save()
        {
            bank._oscillators.CopyTo(_oscillators, 0);
            (_appliedVersion, _gain, _gainTarget, _gainStep, _gainRampRemaining, _position) =
                (bank._appliedVersion, bank._gain, bank._gainTarget, bank._gainStep, bank._gainRampRemaining, bank.Position);
        }

        public void Restore()
        {
            _oscillators.CopyTo(bank._oscillators, 0);
            (bank._appliedVersion, bank._gain, bank._gainTarget, bank._gainStep, bank._gainRampRemaining, bank.Position) =
                (_appliedVersion, _gain, _gainTarget, _gainStep, _gainRampRemaining, _position);
        }
    }

    /// <summary>Per-oscillator lane offsets for the recurrence; recomputed only when the frequency changes.</summary>
    private sealed class LaneCache(int lanes)
    {
        private readonly double[] _cos = new double[lanes];
        private readonly double[] _sin = new double[lanes];
        private readonly double[] _previousCos = new double[lanes];
        private readonly double[] _previousSin = new double[lanes];
        private double _increment = double.NaN;

        public Vector<double> Cos, Sin, PreviousCos, PreviousSin, K;

        public void Update(double increment)
        {
            if (increment == _increment)
            {
                return;
            }
            _increment = increment;
            for (var l = 0; l < lanes; l++)
            {
                (_sin[l], _cos[l]) = Math.SinCos(TwoPi * l * increment);
                (_previousSin[l], _previousCos[l]) = Math.SinCos(TwoPi * (l - lanes) * increment);
            }
            Cos = new Vector<double>(_cos);
            Sin = new Vector<double>(_sin);
            PreviousCos = new Vector<double>(_previousCos);
            PreviousSin = new Vector<double>(_previousSin);
            K = new Vector<double>(2 * Math.Cos(TwoPi * lanes * increment));
        }
    }
}
