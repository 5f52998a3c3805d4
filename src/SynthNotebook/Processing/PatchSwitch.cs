using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// A stream's source, made from the patch in its slot and swapped when the slot changes: for
/// <see cref="CrossFade.Seconds"/> the old and the new source both render and their outputs cross-fade,
/// so a swap never clicks or leaves a gap. A source that throws is replaced by silence (its last level fading out
/// within the block) and the failure is kept for the stream to report. What leaves is always finite.
/// Rewindable while the sources it plays are: <see cref="Checkpoint.CanRestore"/> says so per saved state.
/// </summary>
internal sealed class PatchSwitch : IRewindableSource
{
    private readonly SwapSlot<Patch> _slot;
    private readonly ListenerClock? _listener;
    private readonly int _fadeSamples;
    private readonly float[] _fadingScratch = new float[SynthLimits.MaxBlockSize];
    private ISampleSource _current;
    private string _currentName;
    private ISampleSource? _fadingOut;
    private int _faded;
    private float _lastSample;
    private SourceFault? _unreported;

    public PatchSwitch(SwapSlot<Patch> slot, int sampleRate, ListenerClock? listener = null)
    {
        _slot = slot;
        _listener = listener;
        SampleRate = sampleRate;
        _fadeSamples = CrossFade.SamplesAt(sampleRate);
        var selection = slot.Current;
        Version = selection.Version;
        _currentName = selection.Value.Name;
        _current = Make(selection.Value);
    }

    public int SampleRate { get; }

    /// <summary>The version of the patch now playing (fading in, if a fade runs).</summary>
    public int Version { get; private set; }

    /// <summary>The name of the patch now playing.</summary>
    public string Name => _currentName;

    /// <summary>The newest failure not yet taken, once: a source that threw, or a patch that made none.</summary>
    public SourceFault? TakeFault()
    {
        var fault = _unreported;
        _unreported = null;
        return fault;
    }

    public int Read(Span<float> destination)
    {
        var selection = _slot.Current;
        if (selection.Version != Version && _fadingOut is null)
        {
            // As in ChainSwitch: a swap during a fade waits for it to end, and the newest patch is taken up then.
            _fadingOut = _current;
            _faded = 0;
            Version = selection.Version;
            _currentName = selection.Value.Name;
            _current = Make(selection.Value);
        }
        if (_fadingOut is null)
        {
            Render(ref _current, destination);
        }
        else
        {
            var old = _fadingScratch.AsSpan(0, destination.Length);
            Render(ref _fadingOut, old);
            Render(ref _current, destination);
            _faded = CrossFade.Apply(old, destination, _faded, _fadeSamples);
            if (_faded >= _fadeSamples)
            {
                _fadingOut = null;
            }
        }
        if (destination.Length > 0)
        {
            _lastSample = destination[^1];
        }
        return destination.Length;
    }

    public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);

    /// <summary>A source of <paramref name="patch"/>, or silence when the recipe throws.</summary>
    private ISampleSource Make(Patch patch)
    {
        try
        {
            return patch.Create(SampleRate, _listener);
        }
        catch (Exception error)
        {
            _unreported = new SourceFault(patch.Name, error);
            return new Silence(SampleRate);
        }
    }

    /// <summary>
    /// Renders <paramref name="source"/> into <paramref name="block"/>: a finite source's end is silence, and a source
    /// that throws is replaced by silence, the block fading from the last level heard to 0 (no click).
    /// </summary>
    private void Render(ref ISampleSource source, Span<float> block)
    {
        try
        {
            var read = source.Read(block);
            block[Math.Clamp(read, 0, block.Length)..].Clear();
            SampleGuard.ReplaceNonFinite(block);
        }
        catch (Exception error)
        {
            _unreported = new SourceFault(ReferenceEquals(source, _current) ? _currentName : "the source fading out", error);
            source = new Silence(SampleRate);
            var fade = Math.Min(block.Length, _fadeSamples);
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = i < fade ? _lastSample * (1 - (i + 1f) / fade) : 0f;
            }
        }
    }

    /// <summary>The switch's state: which sources play, each one's own state, and how far a fade has got.</summary>
    internal sealed class Checkpoint(PatchSwitch owner) : ISourceCheckpoint
    {
        private readonly SourceState _current = new();
        private readonly SourceState _fadingOut = new();
        private int _version, _faded;
        private string _name = "";
        private float _lastSample;

        /// <summary>False when a source playing at the save could not keep its state (it is not rewindable).</summary>
        public bool CanRestore { get; private set; }

        public void Save()
        {
            CanRestore = _current.Save(owner._current) & _fadingOut.Save(owner._fadingOut);
            (_version, _name, _faded, _lastSample) = (owner.Version, owner._currentName, owner._faded, owner._lastSample);
        }

        public void Restore()
        {
            if (!CanRestore)
            {
                throw new InvalidOperationException("This state of the stream's source was not kept: it cannot rewind.");
            }
            owner._current = _current.Restore()!;
            owner._fadingOut = _fadingOut.Restore();
            (owner.Version, owner._currentName, owner._faded, owner._lastSample) = (_version, _name, _faded, _lastSample);
        }
    }

    /// <summary>One source and its saved state; a checkpoint is made when a new source is first saved (after a swap).</summary>
    private sealed class SourceState
    {
        private ISampleSource? _source;
        private ISourceCheckpoint? _state;

        public bool Save(ISampleSource? source)
        {
            if (!ReferenceEquals(source, _source))
            {
                _source = source;
                _state = (source as IRewindableSource)?.CreateCheckpoint();
            }
            _state?.Save();
            return source is null || _state is not null;
        }

        public ISampleSource? Restore()
        {
            _state?.Restore();
            return _source;
        }
    }
}
