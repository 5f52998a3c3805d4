namespace SynthNotebook.Synthesis;

/// <summary>
/// Rendered audio that knows its sample rate: what <see cref="OfflineRendering.Render"/> returns. A notebook shows it
/// as its waveform with a player and a download, no server needed (IPython.display.Audio's role); it converts to the
/// samples wherever a <see cref="ReadOnlySpan{T}"/> of them is wanted (<see cref="WavFile.Write(string, ReadOnlySpan{float}, int)"/>).
/// </summary>
public sealed class Sound
{
    private readonly float[] _samples;

    /// <summary>Mono samples at <paramref name="sampleRate"/> Hz; the array is the sound's own from here on (not copied).</summary>
    public Sound(float[] samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        _samples = samples;
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
    }

    /// <summary>The samples, mono.</summary>
    public ReadOnlyMemory<float> Samples => _samples;

    /// <summary>The samples without a copy, for this library's views (a sound never changes them).</summary>
    internal float[] SampleArray => _samples;

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>How long it plays.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)_samples.Length / SampleRate);

    /// <summary>A part of it: <paramref name="length"/> from <paramref name="start"/> (to the end when longer), as a sound of its own.</summary>
    public Sound Slice(TimeSpan start, TimeSpan length)
    {
        var first = (int)Math.Clamp(Math.Round(start.TotalSeconds * SampleRate), 0, _samples.Length);
        var count = (int)Math.Clamp(Math.Round(length.TotalSeconds * SampleRate), 0, _samples.Length - first);
        return new Sound(_samples[first..(first + count)], SampleRate);
    }

    /// <summary>Writes it as a mono float32 WAV file.</summary>
    public void WriteWav(string path) => WavFile.Write(path, _samples, SampleRate);

    /// <summary>The samples, for code that takes a span.</summary>
    public static implicit operator ReadOnlySpan<float>(Sound sound) => sound?._samples ?? [];

    /// <inheritdoc />
    public override string ToString() => $"Sound: {Duration.TotalSeconds:0.###} s at {SampleRate} Hz ({_samples.Length} samples)";
}
