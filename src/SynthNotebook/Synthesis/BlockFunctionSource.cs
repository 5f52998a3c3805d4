namespace SynthNotebook.Synthesis;

/// <summary>
/// A source from a function that fills a whole block at a time: one call per block instead of one per sample, for
/// speed. Rewindable: its state is the sample it is at, so the function itself should keep none.
/// <code>new BlockFunctionSource((block, first, rate) =&gt; { for (var i = 0; i &lt; block.Length; i++) block[i] = …; }, 48_000)</code>
/// </summary>
public sealed class BlockFunctionSource : IRewindableSource
{
    private readonly BlockFunction _function;
    private long _position;

    /// <summary>A source that renders with <paramref name="function"/> at <paramref name="sampleRate"/>.</summary>
    public BlockFunctionSource(BlockFunction function, int sampleRate)
    {
        _function = function ?? throw new ArgumentNullException(nameof(function));
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
    }

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <summary>Samples rendered so far: the number of the next block's first sample.</summary>
    public long Position => _position;

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        _function(destination, _position, SampleRate);
        _position += destination.Length;
        return destination.Length;
    }

    /// <inheritdoc />
    public ISourceCheckpoint CreateCheckpoint() => new PositionCheckpoint(() => _position, position => _position = position);
}
