namespace SynthNotebook.Processing;

/// <summary>
/// A stream's processors, swapped when the chain changes: for <see cref="FadeSeconds"/> both the old and the new
/// processors run and their outputs cross-fade (<see cref="CrossFade"/>), so a swap never clicks or leaves a gap. Allocates only when
/// a new chain arrives.
/// </summary>
internal sealed class ChainSwitch
{
    public const double FadeSeconds = CrossFade.Seconds;

    private readonly int _sampleRate;
    private readonly int _fadeSamples;
    private readonly float[] _fadingScratch;
    private IAudioProcessor _current;
    private IAudioProcessor? _fadingOut;
    private int _faded;

    public ChainSwitch(SwapSlot<AudioChain>.Selection selection, int sampleRate, int maxBlockSize)
    {
        _sampleRate = sampleRate;
        _fadeSamples = CrossFade.SamplesAt(sampleRate);
        _fadingScratch = new float[maxBlockSize];
        _current = selection.Value.Create(sampleRate);
        Version = selection.Version;
    }

    /// <summary>The version of the chain now playing (fading in, if a fade runs).</summary>
    public int Version { get; private set; }

    public void Process(Span<float> block, SwapSlot<AudioChain>.Selection selection)
    {
        if (selection.Version != Version && _fadingOut is null)
        {
            // A swap during a fade waits for that fade to end (at most FadeSeconds): dropping either of the two chains
            // being mixed would make the output jump, a click. The newest chain is taken up then; any in between are skipped.
            _fadingOut = _current;
            _current = selection.Value.Create(_sampleRate);
            Version = selection.Version;
            _faded = 0;
        }
        if (_fadingOut is null)
        {
            _current.Process(block);
            return;
        }
        var old = _fadingScratch.AsSpan(0, block.Length);
        block.CopyTo(old);
        _fadingOut.Process(old);
        _current.Process(block);
        _faded = CrossFade.Apply(old, block, _faded, _fadeSamples);
        if (_faded >= _fadeSamples)
        {
            _fadingOut = null;
        }
    }
}
