namespace SynthNotebook.Processing;

/// <summary>
/// The chain a server applies to incoming audio, swappable from any thread while streams run; each swap gets a new
/// version, which streams notice at their next block.
/// </summary>
internal sealed class ChainSlot
{
    private readonly Lock _swap = new();
    private Selection _selection = new(AudioChain.PassThrough, 0);

    /// <summary>A chain and the version it was installed as.</summary>
    public sealed record Selection(AudioChain Chain, int Version);

    /// <summary>The chain now applied.</summary>
    public AudioChain Chain
    {
        get => Current.Chain;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_swap)
            {
                _selection = new Selection(value, _selection.Version + 1);
            }
        }
    }

    /// <summary>The chain with its version, read atomically.</summary>
    public Selection Current => Volatile.Read(ref _selection);
}
