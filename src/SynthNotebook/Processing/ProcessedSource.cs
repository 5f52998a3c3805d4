using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// A source followed by a processor: each read renders the source into the span, then processes it in place. The
/// graph's one seam — <c>new BandLimitedOscillator(Waveform.Saw, 110, 48_000).Through(envelope).Through(filter)</c> —
/// renders offline exactly as it would stream, block by block. Rewindable when both parts are (<see cref="Of"/>).
/// </summary>
internal class ProcessedSource(ISampleSource source, IAudioProcessor processor) : ISampleSource
{
    protected ISampleSource Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    protected IAudioProcessor Processor { get; } = processor ?? throw new ArgumentNullException(nameof(processor));

    /// <summary><paramref name="source"/> followed by <paramref name="processor"/>, rewindable when both are.</summary>
    public static ProcessedSource Of(ISampleSource source, IAudioProcessor processor)
        => source is IRewindableSource && processor is IRewindableProcessor
            ? new Rewindable(source, processor)
            : new ProcessedSource(source, processor);

    /// <inheritdoc />
    public int SampleRate => Source.SampleRate;

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        var count = Source.Read(destination);
        Processor.Process(destination[..count]);
        return count;
    }

    private sealed class Rewindable(ISampleSource source, IAudioProcessor processor)
        : ProcessedSource(source, processor), IRewindableSource
    {
        public ISourceCheckpoint CreateCheckpoint() => new CheckpointGroup(
            ((IRewindableSource)Source).CreateCheckpoint(), ((IRewindableProcessor)Processor).CreateCheckpoint());
    }
}
