namespace SynthNotebook.Synthesis;

/// <summary>Rendering without a listener: for plots, files and tests. Each call starts a fresh voice at phase zero.</summary>
public static class OfflineRendering
{
    /// <summary>Renders <paramref name="seconds"/> of audio at the synth's sample rate (or <paramref name="sampleRate"/>).</summary>
    public static float[] RenderSeconds(this Synth synth, double seconds, int? sampleRate = null)
    {
        ArgumentNullException.ThrowIfNull(synth);
        var voice = synth.CreateVoice(sampleRate);
        var samples = new float[SamplesFor(seconds, voice.SampleRate)];
        voice.Read(samples);
        return samples;
    }

    /// <summary>
    /// Renders <paramref name="seconds"/> as a <see cref="Sound"/>: the same samples as <see cref="RenderSeconds"/>, with
    /// their rate, so a notebook shows them as a waveform you can play and download.
    /// </summary>
    public static Sound Render(this Synth synth, double seconds, int? sampleRate = null)
        => new(synth.RenderSeconds(seconds, sampleRate), sampleRate ?? synth.SampleRate);

    /// <summary>Renders <paramref name="count"/> consecutive blocks of <see cref="Synth.BlockSize"/>, one after another.</summary>
    public static float[] RenderBlocks(this Synth synth, int count, int? sampleRate = null)
    {
        ArgumentNullException.ThrowIfNull(synth);
        ParameterGuard.InRange(count, 1, Math.Min(100_000, Array.MaxLength / synth.BlockSize));
        var voice = synth.CreateVoice(sampleRate);
        var samples = new float[count * synth.BlockSize];
        for (var block = 0; block < count; block++)
        {
            voice.Read(samples.AsSpan(block * synth.BlockSize, synth.BlockSize));
        }
        return samples;
    }

    /// <summary>
    /// How many samples <paramref name="seconds"/> are at <paramref name="sampleRate"/>, for a rendering held in one
    /// array: at most an hour, and at most Array.MaxLength samples (about 39 minutes at 768 kHz).
    /// </summary>
    internal static int SamplesFor(double seconds, int sampleRate)
    {
        ParameterGuard.InRange(seconds, 0, Math.Min(3600, Math.Floor((double)Array.MaxLength / sampleRate)), " s");
        return (int)Math.Round(seconds * sampleRate);
    }

    /// <summary>The seed's plot: two consecutive blocks glued end to end, to show the seam is continuous.</summary>
    public static float[] GlueTwoBlocks(this Synth synth) => synth.RenderBlocks(2);
}
