using SynthNotebook.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>A change of a component's frequency that took effect at the start of stream block <c>Block</c>.</summary>
public readonly record struct FrequencyChange(int Block, int Component, double Frequency);

/// <summary>An underrun's silence in a capture: <c>Length</c> zeros played just before stream sample <c>StreamIndex</c>.</summary>
public readonly record struct Gap(int StreamIndex, int Length);

/// <summary>Compares what a player played with what the synth renders offline, sample by sample.</summary>
public static class PlayedAudio
{
    /// <summary>The shortest run of exact zeros that is a gap: a running synth never plays two in a row.</summary>
    private const int MinGap = 2;

    /// <summary>The AudioWorklet's render quantum: the length of the player's fades (the fallback node fades over its 1024).</summary>
    public const int Quantum = 128;

    // The player's concealment (Player/concealment.js), to the bit: a sample times the ramp's gain, in double, rounded to float.
    public static float FadeOut(float sample, int k, int length) => (float)(sample * (1 - (k + 1) / (double)length));

    public static float FadeIn(float sample, int k, int length) => (float)(sample * ((k + 1) / (double)length));

    private static bool FadesAt(float[] captured, int at, float[] reference, int from, int length, Func<float, int, int, float> fade)
    {
        if (at < 0 || at + length > captured.Length || from + length > reference.Length)
        {
            return false;
        }
        for (var k = 0; k < length; k++)
        {
            if (captured[at + k] != fade(reference[from + k], k, length))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The stream as the server renders it for one listener: a fresh voice of a default synth at the listener's rate,
    /// block by block, with each change applied before its block.
    /// </summary>
    public static float[] Reference(int sampleRate, int blockSize, int length, IReadOnlyList<FrequencyChange>? changes = null)
        => Reference(new Synth(), sampleRate, blockSize, length, changes);

    /// <summary>As above, for a fresh voice of <paramref name="synth"/> (which the changes, if any, change).</summary>
    public static float[] Reference(Synth synth, int sampleRate, int blockSize, int length, IReadOnlyList<FrequencyChange>? changes = null)
    {
        var voice = synth.CreateVoice(sampleRate);
        var samples = new float[length];
        for (int block = 0, offset = 0; offset < length; block++, offset += blockSize)
        {
            foreach (var change in changes ?? [])
            {
                if (change.Block == block)
                {
                    synth.SetFrequency(change.Component, change.Frequency);
                }
            }
            voice.Read(samples.AsSpan(offset, Math.Min(blockSize, length - offset)));
        }
        return samples;
    }

    /// <summary>
    /// Where the stream's first samples appear in the capture (the recorder starts before the first block). Once two
    /// samples have matched, a run of zeros (an underrun's silence, see <see cref="CutGaps"/>) is stepped over.
    /// </summary>
    public static int FindStart(float[] captured, float[] reference, int probe = 512, int quantum = Quantum)
        => TryFindStart(captured, reference, probe, quantum) is var start and >= 0 ? start
            : throw new Xunit.Sdk.XunitException(
                $"The first {probe} samples of the stream never appear in the {captured.Length}-sample capture.");

    /// <summary>As <see cref="FindStart"/>, or -1 where the stream's first samples never appear intact.</summary>
    public static int TryFindStart(float[] captured, float[] reference, int probe = 512, int quantum = Quantum)
    {
        for (var start = 0; start + probe <= captured.Length; start++)
        {
            if (StartsHere(captured, start, reference, probe, quantum))
            {
                return start;
            }
        }
        return -1;
    }

    // The player fades its first quantum in (or plays it as it is, where nothing concealed), then plays on exactly.
    private static bool StartsHere(float[] captured, int start, float[] reference, int probe, int quantum)
    {
        var at = start;
        var matched = 0;
        if (FadesAt(captured, start, reference, 0, quantum, FadeIn) && captured[start + quantum - 1] != 0)
        {
            at += quantum;
            matched = quantum;
        }
        for (; matched < probe; matched++, at++)
        {
            if (matched >= 2 && ZerosAt(captured, at) is var run and >= MinGap)
            {
                at += run;   // over a gap
            }
            if (at >= captured.Length || captured[at] != reference[matched])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The first stream index at which the capture (from <paramref name="start"/>) differs from the reference; -1 if none.</summary>
    public static int FirstMismatch(float[] captured, int start, float[] reference)
    {
        var length = Math.Min(captured.Length - start, reference.Length);
        for (var i = 0; i < length; i++)
        {
            if (captured[start + i] != reference[i])
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// The stream as played from <paramref name="start"/>, with each underrun's concealment undone, and where its
    /// silences were. The player fades a quantum out before an underrun's silence and one in after it (and at the
    /// start); a faded sample counts as played only when it is, to the bit, the reference sample times the fade's gain,
    /// and then the stream holds the reference sample. A gap is a run of two or more exact zeros (a running synth never
    /// plays one: its very first sample, all phases at zero, is a single zero), faded around or not (the fallback node
    /// inserts silent quanta of its own). Samples that are neither are kept as played, for the caller's comparison.
    /// </summary>
    public static (float[] Stream, Gap[] Gaps) CutGaps(float[] captured, int start, float[] reference, int quantum = Quantum)
    {
        var stream = new List<float>(captured.Length - start);
        var gaps = new List<Gap>();
        var i = start;
        RestoreFadeIn();
        while (i < captured.Length)
        {
            var j = stream.Count;
            if (j < reference.Length && captured[i] != reference[j] && TryRestoreFadeOut())
            {
                // Silence follows, unless blocks came in time to start again at once: then the fade in follows directly.
                CutSilence(ZerosAt(captured, i));
                continue;
            }
            if (ZerosAt(captured, i) is var run and >= MinGap)
            {
                CutSilence(run);
                continue;
            }
            stream.Add(captured[i++]);
        }
        return (stream.ToArray(), gaps.ToArray());

        // The silence as a gap (a fade in whose first sample is the stream's own zero belongs to the fade), then the
        // fade in after it, if there is one.
        void CutSilence(int run)
        {
            var silence = run > 0 && FadesAt(captured, i + run - 1, reference, stream.Count, quantum, FadeIn) ? run - 1 : run;
            if (silence > 0)
            {
                gaps.Add(new Gap(stream.Count, silence));
            }
            i += silence;
            RestoreFadeIn();
        }

        void RestoreFadeIn()
        {
            var j = stream.Count;
            if (FadesAt(captured, i, reference, j, quantum, FadeIn))
            {
                stream.AddRange(reference.AsSpan(j, quantum));
                i += quantum;
            }
        }

        // A fade out starts here, or one sample back where the stream's sample there was a zero (a zero fades to itself).
        bool TryRestoreFadeOut()
        {
            var j = stream.Count;
            for (var back = 0; back <= 1 && back <= j && i - back >= start; back++)
            {
                if ((back == 0 || captured[i - 1] == 0) && FadesAt(captured, i - back, reference, j - back, quantum, FadeOut))
                {
                    stream.RemoveRange(j - back, back);
                    stream.AddRange(reference.AsSpan(j - back, quantum));
                    i += quantum - back;
                    return true;
                }
            }
            return false;
        }
    }

    private static int ZerosAt(float[] captured, int at)
    {
        var run = 0;
        while (at + run < captured.Length && captured[at + run] == 0f)
        {
            run++;
        }
        return run;
    }

    /// <summary>
    /// Finds the stream in a capture, cuts its gaps, and asserts it is, sample for sample and in order, at least
    /// <paramref name="minSamples"/> of <paramref name="reference"/>, with no gap unless <paramref name="allowUnderrunGaps"/>
    /// (then an underrun's silence is cut and still no sample may be lost or altered). <paramref name="about"/> goes into
    /// the failure messages. Returns the stream as played, its gaps, and where it starts in the capture.
    /// </summary>
    public static (float[] Stream, Gap[] Gaps, int Start) AssertPlayed(float[] captured, float[] reference, int minSamples,
        bool allowUnderrunGaps, string about)
    {
        var start = FindStart(captured, reference);
        var (stream, gaps) = CutGaps(captured, start, reference);
        var where = $"the capture starts the stream at {start}, underrun gaps [{string.Join(", ", gaps)}]; {about}";
        Assert.True(allowUnderrunGaps || gaps.Length == 0, $"a gap in what was played ({where})");
        Assert.True(stream.Length >= minSamples, $"only {stream.Length} samples played after the first ({where})");
        Assert.True(Mismatches(stream, 0, reference) == 0,
            $"first mismatch at stream sample {FirstMismatch(stream, 0, reference)} ({where})");
        return (stream, gaps, start);
    }

    /// <summary>Where stream sample <paramref name="streamIndex"/> lies in the capture, counting the gaps played before it.</summary>
    public static int CaptureIndex(int start, int streamIndex, IEnumerable<Gap> gaps)
        => start + streamIndex + gaps.Where(gap => gap.StreamIndex <= streamIndex).Sum(gap => gap.Length);

    /// <summary>
    /// Where a played stream first departs from the reference, for how many samples, and which earlier or later stretch
    /// of the stream (as a shift in samples) those samples are, if any: a replay of stale audio shows as a negative shift.
    /// </summary>
    public static string DescribeMismatch(float[] stream, float[] reference)
    {
        var first = FirstMismatch(stream, 0, reference);
        if (first < 0)
        {
            return "none";
        }
        var run = 0;
        while (first + run < Math.Min(stream.Length, reference.Length) && stream[first + run] != reference[first + run])
        {
            run++;
        }
        var probe = Math.Min(run, 64);
        var shifts = Enumerable.Range(-first, first + reference.Length - probe)
            .Where(shift => shift != 0 && first + shift + probe <= reference.Length
                && Enumerable.Range(0, probe).All(i => stream[first + i] == reference[first + shift + i]))
            .Take(4);
        return $"from stream sample {first} for {run} samples, which equal the stream shifted by [{string.Join(", ", shifts)}]";
    }

    /// <summary>How many captured samples (from <paramref name="start"/>) differ from the reference.</summary>
    public static int Mismatches(float[] captured, int start, float[] reference)
    {
        var length = Math.Min(captured.Length - start, reference.Length);
        var count = 0;
        for (var i = 0; i < length; i++)
        {
            if (captured[start + i] != reference[i])
            {
                count++;
            }
        }
        return count;
    }
}
