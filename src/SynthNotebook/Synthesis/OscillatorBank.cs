using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    // Small enough for the accumulator (32 KB) to live in L1, large enough to amortise the per-chunk re-anchoring.
    private const int ChunkSize = 4096;
    private const double TwoPi = 2 * Math.PI;
    private static readonly int Lanes = Vector<double>.Count;
    // Where the CPU has 512-bit vectors, steady components go twelve at a time in Vector512 recurrences (Vector<T>
    // stays 256-bit there): a 512-bit FMA takes ~10 cycles here, and twelve chains keep both pipes busy.
    private static readonly bool Wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    private const int WideLanes = 8;

    private readonly Synth _synth;
    private readonly int _rampSamples;
    private readonly double _normalisation;
    private readonly double[] _accumulator = new double[ChunkSize];
    private readonly Oscillator[] _oscillators;
    private readonly LaneCache[] _laneCaches;
    private readonly WideLaneCache[]? _wideCaches;
    private readonly Vector512<double>[] _wideFactors = new Vector512<double>[12];   // Recur12's factors, in memory
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
        if (Wide)
        {
            _wideCaches = new WideLaneCache[count];
            for (var i = 0; i < count; i++)
            {
                _wideCaches[i] = new WideLaneCache();
            }
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
        if (Wide)
        {
            for (; group + 12 <= steadyCount; group += 12)
            {
                RenderSteady12(_steady.AsSpan(group, 12), accumulator);
            }
        }
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

    // Twelve 512-bit recurrences: a 512-bit FMA's latency here is about 10 cycles (measured), so eight chains leave the
    // pipes idle. Their 24 states fill the registers; the twelve factors are read from memory by the FMAs themselves.
    private void RenderSteady12(ReadOnlySpan<int> indices, Span<double> accumulator)
    {
        var (y0, p0) = AnchorWide(indices[0], 0);
        var (y1, p1) = AnchorWide(indices[1], 1);
        var (y2, p2) = AnchorWide(indices[2], 2);
        var (y3, p3) = AnchorWide(indices[3], 3);
        var (y4, p4) = AnchorWide(indices[4], 4);
        var (y5, p5) = AnchorWide(indices[5], 5);
        var (y6, p6) = AnchorWide(indices[6], 6);
        var (y7, p7) = AnchorWide(indices[7], 7);
        var (y8, p8) = AnchorWide(indices[8], 8);
        var (y9, p9) = AnchorWide(indices[9], 9);
        var (y10, p10) = AnchorWide(indices[10], 10);
        var (y11, p11) = AnchorWide(indices[11], 11);
        Recur12(accumulator, _wideFactors, y0, p0, y1, p1, y2, p2, y3, p3, y4, p4, y5, p5, y6, p6, y7, p7, y8, p8, y9, p9, y10, p10, y11, p11);
        foreach (var index in indices)
        {
            AdvancePhase(ref _oscillators[index], accumulator.Length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Recur12(Span<double> accumulator, Vector512<double>[] factors,
        Vector512<double> y0, Vector512<double> p0, Vector512<double> y1, Vector512<double> p1, Vector512<double> y2, Vector512<double> p2,
        Vector512<double> y3, Vector512<double> p3, Vector512<double> y4, Vector512<double> p4, Vector512<double> y5, Vector512<double> p5,
        Vector512<double> y6, Vector512<double> p6, Vector512<double> y7, Vector512<double> p7, Vector512<double> y8, Vector512<double> p8,
        Vector512<double> y9, Vector512<double> p9, Vector512<double> y10, Vector512<double> p10, Vector512<double> y11, Vector512<double> p11)
    {
        ref var k = ref MemoryMarshal.GetArrayDataReference(factors);
        _ = factors[11];
        var vectors = MemoryMarshal.Cast<double, Vector512<double>>(accumulator);
        // Two steps a turn, the states trading places (the newer in p, then in y again), so no register moves; an odd
        // count ends half-way, with the newest states in p.
        for (var j = 0; j < vectors.Length; j += 2)
        {
            vectors[j] += (((y0 + y1) + (y2 + y3)) + ((y4 + y5) + (y6 + y7))) + ((y8 + y9) + (y10 + y11));
            p0 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 0), y0, p0);
            p1 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 1), y1, p1);
            p2 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 2), y2, p2);
            p3 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 3), y3, p3);
            p4 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 4), y4, p4);
            p5 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 5), y5, p5);
            p6 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 6), y6, p6);
            p7 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 7), y7, p7);
            p8 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 8), y8, p8);
            p9 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 9), y9, p9);
            p10 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 10), y10, p10);
            p11 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 11), y11, p11);
            if (j + 1 == vectors.Length)
            {
                (y0, y1, y2, y3, y4, y5, y6, y7, y8, y9, y10, y11) = (p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11);
                break;
            }
            vectors[j + 1] += (((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7))) + ((p8 + p9) + (p10 + p11));
            y0 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 0), p0, y0);
            y1 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 1), p1, y1);
            y2 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 2), p2, y2);
            y3 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 3), p3, y3);
            y4 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 4), p4, y4);
            y5 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 5), p5, y5);
            y6 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 6), p6, y6);
            y7 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 7), p7, y7);
            y8 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 8), p8, y8);
            y9 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 9), p9, y9);
            y10 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 10), p10, y10);
            y11 = Avx512F.FusedMultiplySubtract(Unsafe.Add(ref k, 11), p11, y11);
        }
        for (var t = vectors.Length * WideLanes; t < accumulator.Length; t++)
        {
            var lane = t - vectors.Length * WideLanes;
            accumulator[t] += (((y0[lane] + y1[lane]) + (y2[lane] + y3[lane])) + ((y4[lane] + y5[lane]) + (y6[lane] + y7[lane])))
                + ((y8[lane] + y9[lane]) + (y10[lane] + y11[lane]));
        }
    }

    /// <summary>As <see cref="Anchor"/>, for eight lanes of a 512-bit recurrence; its factor goes to <c>_wideFactors[slot]</c>.</summary>
    private (Vector512<double> Y, Vector512<double> Previous) AnchorWide(int index, int slot)
    {
        ref readonly var oscillator = ref _oscillators[index];
        var cache = _wideCaches![index];
        cache.Update(oscillator.Increment);
        var (sin, cos) = Math.SinCos(TwoPi * oscillator.Phase);
        var amplitude = oscillator.Amplitude;
        _wideFactors[slot] = cache.K;
        return ((cache.Cos * sin + cache.Sin * cos) * amplitude, (cache.PreviousCos * sin + cache.PreviousSin * cos) * amplitude);
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

    /// <summary>
    /// Per-oscillator lane offsets for a recurrence of <c>lanes</c> lanes: lane l starts l samples on, its previous value
    /// L samples before. Computed only when the frequency changes; the vectors of each width are made from them.
    /// </summary>
    private abstract class LaneOffsets(int lanes)
    {
        protected readonly double[] CosOffsets = new double[lanes];
        protected readonly double[] SinOffsets = new double[lanes];
        protected readonly double[] PreviousCosOffsets = new double[lanes];
        protected readonly double[] PreviousSinOffsets = new double[lanes];
        private double _increment = double.NaN;

        public void Update(double increment)
        {
            if (increment == _increment)
            {
                return;
            }
            _increment = increment;
            for (var l = 0; l < lanes; l++)
            {
                (SinOffsets[l], CosOffsets[l]) = Math.SinCos(TwoPi * l * increment);
                (PreviousSinOffsets[l], PreviousCosOffsets[l]) = Math.SinCos(TwoPi * (l - lanes) * increment);
            }
            MakeVectors(2 * Math.Cos(TwoPi * lanes * increment));
        }

        protected abstract void MakeVectors(double factor);
    }

    /// <summary>The offsets as <see cref="Vector{T}"/> (256-bit on most CPUs).</summary>
    private sealed class LaneCache(int lanes) : LaneOffsets(lanes)
    {
        public Vector<double> Cos, Sin, PreviousCos, PreviousSin, K;

        protected override void MakeVectors(double factor)
        {
            (Cos, Sin) = (new Vector<double>(CosOffsets), new Vector<double>(SinOffsets));
            (PreviousCos, PreviousSin) = (new Vector<double>(PreviousCosOffsets), new Vector<double>(PreviousSinOffsets));
            K = new Vector<double>(factor);
        }
    }

    /// <summary>The offsets as <see cref="Vector512{T}"/>, for the eight lanes of a 512-bit recurrence.</summary>
    private sealed class WideLaneCache() : LaneOffsets(WideLanes)
    {
        public Vector512<double> Cos, Sin, PreviousCos, PreviousSin, K;

        protected override void MakeVectors(double factor)
        {
            (Cos, Sin) = (Vector512.Create(CosOffsets), Vector512.Create(SinOffsets));
            (PreviousCos, PreviousSin) = (Vector512.Create(PreviousCosOffsets), Vector512.Create(PreviousSinOffsets));
            K = Vector512.Create(factor);
        }
    }
}
