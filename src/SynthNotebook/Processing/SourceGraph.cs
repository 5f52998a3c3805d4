using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>Building and rendering a graph from any source.</summary>
public static class SourceGraph
{
    /// <summary>
    /// <paramref name="source"/> followed by <paramref name="processor"/>: each read renders the source, then processes
    /// the block in place. Rewindable (<see cref="IRewindableSource"/>) when both are.
    /// </summary>
    public static ISampleSource Through(this ISampleSource source, IAudioProcessor processor) => ProcessedSource.Of(source, processor);

    /// <summary>
    /// <paramref name="source"/> followed by a fresh instance of <paramref name="chain"/> at the source's rate: the
    /// chain that shapes the microphone (<c>server.Chain</c>) shapes any source the same way.
    /// </summary>
    public static ISampleSource Through(this ISampleSource source, AudioChain chain)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(chain);
        return ProcessedSource.Of(source, chain.Create(source.SampleRate));
    }

    /// <summary>
    /// Renders the next <paramref name="seconds"/> of <paramref name="source"/> (from where it is; it goes on from
    /// there) as a <see cref="Sound"/>, in blocks of <paramref name="blockSize"/> as a stream would pull it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A length or block size outside its range; the message names it.</exception>
    public static Sound Render(this ISampleSource source, double seconds, int blockSize = 256)
    {
        ArgumentNullException.ThrowIfNull(source);
        var length = OfflineRendering.SamplesFor(seconds, source.SampleRate);
        ParameterGuard.InRange(blockSize, SynthLimits.MinBlockSize, SynthLimits.MaxBlockSize);
        var samples = new float[length];
        var rendered = 0;
        while (rendered < samples.Length)
        {
            var read = source.Read(samples.AsSpan(rendered, Math.Min(blockSize, samples.Length - rendered)));
            if (read == 0)
            {
                break;   // a finite source ended: the rest stays silent
            }
            rendered += read;
        }
        return new Sound(samples, source.SampleRate);
    }
}
