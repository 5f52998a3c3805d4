namespace SynthNotebook.Synthesis;

/// <summary>Zeros, for ever: what plays in place of a source that failed.</summary>
public sealed class Silence(int sampleRate) : IRewindableSource
{
    /// <inheritdoc />
    public int SampleRate { get; } = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        destination.Clear();
        return destination.Length;
    }

    /// <inheritdoc />
    public ISourceCheckpoint CreateCheckpoint() => StatelessCheckpoint.Instance;
}
