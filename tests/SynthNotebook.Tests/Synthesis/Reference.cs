using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>Independent double-precision references for what a voice should render, and rendering helpers.</summary>
internal static class Reference
{
    /// <summary>
    /// Σ a_k·sin(2π f_k n / fs) · gain / N for n = start .. start + count − 1, in double, straight from the formula
    /// (fine for moderate n; for very large n use <see cref="ExactIntegerSum"/>).
    /// </summary>
    public static double[] SumOfSines(IReadOnlyList<double> frequencies, IReadOnlyList<double> amplitudes, double gain,
        int sampleRate, long start, int count)
    {
        var result = new double[count];
        var n = frequencies.Count;
        for (var i = 0; i < count; i++)
        {
            var sum = 0.0;
            for (var k = 0; k < n; k++)
            {
                sum += amplitudes[k] * Math.Sin(2 * Math.PI * frequencies[k] * (start + i) / sampleRate);
            }
            result[i] = sum * gain / n;
        }
        return result;
    }

    /// <summary>
    /// Σ sin(2π·phase_k(n)) / N with the phase computed exactly in integers: phase = ((f·n) mod fs) / fs.
    /// Valid for integer frequencies and any n a long holds.
    /// </summary>
    public static double[] ExactIntegerSum(IReadOnlyList<int> frequencies, int sampleRate, long start, int count)
    {
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            var n = start + i;
            var sum = 0.0;
            foreach (var f in frequencies)
            {
                var cycles = (long)((Int128)f * n % sampleRate);
                sum += Math.Sin(2 * Math.PI * cycles / sampleRate);
            }
            result[i] = sum / frequencies.Count;
        }
        return result;
    }

    /// <summary>Largest |a[i] − b[i]|.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        }
        return max;
    }

    /// <summary>Largest |a[i] − b[i]|.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        }
        return max;
    }

    /// <summary>Largest |x[i]|.</summary>
    public static double MaxAbs(ReadOnlySpan<float> samples)
    {
        var max = 0.0;
        foreach (var s in samples)
        {
            max = Math.Max(max, Math.Abs((double)s));
        }
        return max;
    }

    /// <summary>Reads <paramref name="destination"/> in consecutive calls whose lengths cycle through <paramref name="chunks"/>.</summary>
    public static void ReadInChunks(OscillatorBank voice, Span<float> destination, IReadOnlyList<int> chunks)
    {
        var offset = 0;
        var c = 0;
        while (offset < destination.Length)
        {
            var length = Math.Min(chunks[c++ % chunks.Count], destination.Length - offset);
            Assert.Equal(length, voice.Read(destination.Slice(offset, length)));
            offset += length;
        }
    }

    /// <summary>Reads <paramref name="count"/> samples in one call.</summary>
    public static float[] Read(ISampleSource voice, int count)
    {
        var samples = new float[count];
        Assert.Equal(count, voice.Read(samples));
        return samples;
    }

    /// <summary>
    /// Renders <paramref name="warmUp"/> samples, saves a checkpoint, renders <paramref name="length"/>, restores, and
    /// asserts the same bits come again; returns them and the checkpoint (restored once more it starts them again).
    /// </summary>
    public static (float[] Samples, ISourceCheckpoint Checkpoint) AssertRestoredRendersTheSame(IRewindableSource source, int warmUp, int length)
    {
        Read(source, warmUp);
        var checkpoint = source.CreateCheckpoint();
        checkpoint.Save();
        var first = Read(source, length);
        checkpoint.Restore();
        Assert.Equal(first, Read(source, length));
        return (first, checkpoint);
    }
}
