using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// A source followed by a processor: each read renders the source into the span, then processes it in place. The
/// graph's one seam — <c>new BandLimitedOscillator(Waveform.Saw, 110, 48_000).Through(envelope).Through(filter)</c> —
/// renders offline exactly as it would stream, block by block.
/// </summary>
public sealed class ProcessedSource(ISampleSource source, IAudioProcessor processor) : ISampleSource
{
    private readonly ISampleSource _source = source ?? throw new ArgumentNullException(nameof(source));
    private readonly IAudioProcessor _processor = processor ?? throw new ArgumentNullException(nameof(processor));

    /// <inheritdoc />
    public int SampleRate => _source.SampleRate;

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        var count = _source.Read(destination);
        _processor.Process(destination[..count]);
        return count;
    }
}
