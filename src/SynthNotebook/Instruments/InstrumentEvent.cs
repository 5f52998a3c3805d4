using SynthNotebook.Processing;

namespace SynthNotebook.Instruments;

/// <summary>What was done to an instrument, in the order done: every listener applies each at its next block.</summary>
internal abstract record InstrumentEvent
{
    /// <summary>
    /// A key pressed (from the page's keyboard or <see cref="Instrument.NoteOn"/>); it sounds until released. A page's
    /// key is timed for its own stream: that listener hears it from stream sample <paramref name="At"/>, the others
    /// (and a page that gave no time) at their next block.
    /// </summary>
    public sealed record NoteOn(int Note, double Velocity, ListenerClock? For = null, long At = 0) : InstrumentEvent;

    /// <summary>A key let go, timed as <see cref="NoteOn"/> is.</summary>
    public sealed record NoteOff(int Note, ListenerClock? For = null, long At = 0) : InstrumentEvent;

    /// <summary>Timed notes, from the block the listener applies this at.</summary>
    public sealed record Play(Phrase Phrase) : InstrumentEvent;

    /// <summary>Every sounding note released, and every phrase stopped.</summary>
    public sealed record AllNotesOff : InstrumentEvent;
}
