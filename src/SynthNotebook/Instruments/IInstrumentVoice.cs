using SynthNotebook.Synthesis;

namespace SynthNotebook.Instruments;

/// <summary>
/// One voice of an <see cref="Instrument"/>: a note's sound from its start to the end of its release. The instrument
/// makes a fixed set of them per listener (its polyphony) and gives each note to one; write your own to replace the
/// built-in <see cref="SubtractiveVoice"/>. Implement <see cref="IRewindableSource"/> too, and the instrument can
/// rewind (a key is then heard after a round trip, not behind the player's cushion).
/// </summary>
public interface IInstrumentVoice : ISampleSource
{
    /// <summary>
    /// Starts <paramref name="note"/> at <paramref name="velocity"/> (0–1). Also called on a voice still sounding (the
    /// same key again, or a voice taken for a new note when all are busy): go on from where it is, without a click.
    /// </summary>
    void Start(MidiNote note, double velocity);

    /// <summary>The key was let go: begin the release.</summary>
    void Release();

    /// <summary>
    /// False once the release has ended: the voice is silent and free for another note. The instrument stops reading a
    /// voice at the first block or note after that, so a voice should render 0 and keep its state from its release's
    /// last sample on (as <see cref="SubtractiveVoice"/> does): then any block size renders the same.
    /// </summary>
    bool IsSounding { get; }
}
