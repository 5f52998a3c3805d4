namespace SynthNotebook.Synthesis;

/// <summary>
/// A source from a function of time, for a quick experiment: <c>t =&gt; Math.Sin(2 * Math.PI * 440 * t)</c>. The
/// function is called once per sample with the time in seconds from the source's start (sample n at n / rate, exact
/// in double). Rewindable: its state is the sample it is at, so the function itself should keep none.
/// </summary>
public sealed class FunctionSource : IRewindableSource
{
    private readonly Func<double, double> _function;
    private long _position;

    /// <summary>A source that renders <paramref name="function"/> at <paramref name="sampleRate"/>.</summary>
    public FunctionSource(Func<double, double> function, int sampleRate)
    {
        _function = function ?? throw new ArgumentNullException(nameof(function));
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
    }

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <summary>Samples rendered so far: the next one is at <c>Position / SampleRate</c> seconds.</summary>
    public long Position => _position;

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        double rate = SampleRate;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)_function((_position + i) / rate);
        }
        _position += destination.Length;
        return destination.Length;
    }

    /// <inheritdoc />
    public ISourceCheckpoint CreateCheckpoint() => new PositionCheckpoint(() => _position, position => _position = position);
}
