namespace SynthNotebook.Instruments;

/// <summary>
/// An instrument's events, numbered in order, kept in a ring of the newest <see cref="Capacity"/>: each listener reads
/// the ones after the last it applied, and a rewound listener reads them again from where it was. Appended from any
/// thread; read without a lock (an event is in place before the count that shows it).
/// </summary>
internal sealed class InstrumentEventLog
{
    public const int Capacity = 4096;   // far more than arrive in the half second a rewind reaches back

    private readonly InstrumentEvent[] _events = new InstrumentEvent[Capacity];
    private readonly Lock _append = new();
    private long _count;

    /// <summary>Events ever appended: the number the next one gets.</summary>
    public long Count => Volatile.Read(ref _count);

    public void Append(InstrumentEvent instrumentEvent)
    {
        lock (_append)
        {
            _events[_count % Capacity] = instrumentEvent;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>Event <paramref name="number"/>, or null when it has left the ring (or is not there yet).</summary>
    public InstrumentEvent? At(long number) => number < Count && number >= Count - Capacity ? _events[number % Capacity] : null;
}
