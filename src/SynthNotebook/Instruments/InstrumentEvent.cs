namespace SynthNotebook.Instruments;

/// <summary>What was done to an instrument, in the order done: every listener applies each at its next block.</summary>
internal abstract record InstrumentEvent
{
    /// <summary>A key pressed (from the page's keyboard or <see cref="Instrument.NoteOn"/>); it sounds until released.</summary>
    public sealed record NoteOn(int Note, double Velocity) : InstrumentEvent;

    /// <summary>A key let go.</summary>
    public sealed record NoteOff(int Note) : InstrumentEvent;

    /// <summary>Timed notes, from the block the listener applies this at.</summary>
    public sealed record Play(Phrase Phrase) : InstrumentEvent;

    /// <summary>Every sounding note released, and every phrase stopped.</summary>
    public sealed record AllNotesOff : InstrumentEvent;
}
