using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// Sources summed sample by sample: each renders into a scratch block that is added to the output. A source that ends
/// adds nothing from then on; the mix goes on as long as one does. Rewindable when every source is.
/// </summary>
internal class MixSource : ISampleSource
{
    private readonly ISampleSource[] _sources;
    private readonly float[] _scratch = new float[SynthLimits.MaxBlockSize];

    /// <summary>The sum of <paramref name="sources"/>, rewindable when every one is.</summary>
    public static MixSource Of(ISampleSource[] sources)
        => sources.All(source => source is IRewindableSource) ? new Rewindable(sources) : new MixSource(sources);

    private MixSource(ISampleSource[] sources)
    {
        if (sources.Length == 0 || sources.Any(source => source.SampleRate != sources[0].SampleRate))
        {
            throw new ArgumentException("A mix needs one source or more, all at one sample rate.", nameof(sources));
        }
        _sources = sources;
        SampleRate = sources[0].SampleRate;
    }

    public int SampleRate { get; }

    public int Read(Span<float> destination)
    {
        destination.Clear();
        var longest = 0;
        for (var offset = 0; offset < destination.Length; offset += _scratch.Length)
        {
            var part = destination.Slice(offset, Math.Min(_scratch.Length, destination.Length - offset));
            var scratch = _scratch.AsSpan(0, part.Length);
            var read = 0;
            foreach (var source in _sources)
            {
                var count = source.Read(scratch);
                for (var i = 0; i < count; i++)
                {
                    part[i] += scratch[i];
                }
                read = Math.Max(read, count);
            }
            longest = offset + read;
            if (read < part.Length)
            {
                break;
            }
        }
        return longest;
    }

    private sealed class Rewindable(ISampleSource[] sources) : MixSource(sources), IRewindableSource
    {
        public ISourceCheckpoint CreateCheckpoint()
            => new CheckpointGroup([.. _sources.Select(source => ((IRewindableSource)source).CreateCheckpoint())]);
    }
}
