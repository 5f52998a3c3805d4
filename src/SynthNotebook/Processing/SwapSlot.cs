namespace SynthNotebook.Processing;

/// <summary>
/// What a server hands its streams to play or to apply (a <see cref="Patch"/>, an <see cref="AudioChain"/>), swappable
/// from any thread while they run; each swap gets a new version, which streams notice at their next block.
/// </summary>
internal sealed class SwapSlot<T>(T initial) where T : class
{
    private readonly Lock _swap = new();
    private Selection _selection = new(initial ?? throw new ArgumentNullException(nameof(initial)), 0);

    /// <summary>A value and the version it was installed as.</summary>
    public sealed record Selection(T Value, int Version);

    /// <summary>The value now in the slot.</summary>
    public T Value
    {
        get => Current.Value;
        set => Swap(value);
    }

    /// <summary>The value with its version, read atomically.</summary>
    public Selection Current => Volatile.Read(ref _selection);

    /// <summary>Installs <paramref name="value"/> and returns the version it got.</summary>
    public int Swap(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_swap)
        {
            _selection = new Selection(value, _selection.Version + 1);
            return _selection.Version;
        }
    }
}
