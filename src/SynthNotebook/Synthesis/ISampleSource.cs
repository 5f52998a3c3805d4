namespace SynthNotebook.Synthesis;

/// <summary>
/// A pull source of mono float samples, in the spirit of NAudio's ISampleProvider:
/// the consumer asks for the next samples and the source renders them into its buffer.
/// </summary>
public interface ISampleSource
{
    /// <summary>Samples per second of everything this source renders.</summary>
    int SampleRate { get; }

    /// <summary>Renders the next samples into <paramref name="destination"/>.</summary>
    /// <returns>The number of samples written; fewer than asked only at the end of a finite stream.</returns>
    int Read(Span<float> destination);
}
