using SynthNotebook.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>A change of a component's frequency that took effect at the start of stream block <c>Block</c>.</summary>
public readonly record struct FrequencyChange(int Block, int Component, double Frequency);

/// <summary>Compares what a player played with what the synth renders offline, sample by sample.</summary>
public static class PlayedAudio
{
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

    /// <summary>Where the stream's first samples appear in the capture (the recorder starts before the first block).</summary>
    public static int FindStart(float[] captured, float[] reference, int probe = 512)
    {
        for (var start = 0; start + probe <= captured.Length; start++)
        {
            if (captured.AsSpan(start, probe).SequenceEqual(reference.AsSpan(0, probe)))
            {
                return start;
            }
        }
        throw new Xunit.Sdk.XunitException(
            $"The first {probe} samples of the stream never appear in the {captured.Length}-sample capture.");
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
