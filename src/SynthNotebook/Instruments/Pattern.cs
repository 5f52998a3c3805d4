using System.Collections.Immutable;
using System.Globalization;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Instruments;

/// <summary>One note of a <see cref="Pattern"/>: when it starts and how long it sounds, in beats, and how hard.</summary>
public readonly record struct PatternNote(double StartBeat, double Beats, MidiNote Note, double Velocity);

/// <summary>
/// Notes on a tempo, built a step at a time (immutable: each call returns a new pattern). An instrument plays it from
/// the block after <see cref="Instrument.Play(Pattern)"/>, each note on the sample its beat falls on at the listener's
/// rate, exactly as <see cref="Instrument.Render(Pattern, double?, int, int)"/> renders it offline.
/// </summary>
/// <example><code>
/// var riff = new Pattern(bpm: 120).Note("C4").Note("E4").Note("G4", beats: 2).Rest().Chord(["C4", "E4", "G4"], 2);
/// var arpeggio = Pattern.Steps("C4 E4 G4 C5 G4 E4 - -", bpm: 140).Repeat(4);
/// </code></example>
public sealed class Pattern
{
    private Pattern(double bpm, ImmutableArray<PatternNote> notes, double lengthBeats)
    {
        Bpm = bpm;
        Notes = notes;
        LengthBeats = lengthBeats;
    }

    /// <summary>An empty pattern at <paramref name="bpm"/> beats a minute (20–400).</summary>
    public Pattern(double bpm = 120) : this(ParameterGuard.InRange(bpm, 20, 400, " bpm", nameof(bpm)), [], 0)
    {
    }

    /// <summary>Beats a minute.</summary>
    public double Bpm { get; }

    /// <summary>The notes, in the order they were added.</summary>
    public ImmutableArray<PatternNote> Notes { get; }

    /// <summary>Where the next step goes, in beats: the pattern's length.</summary>
    public double LengthBeats { get; }

    /// <summary>The pattern's length in seconds.</summary>
    public double Seconds => SecondsAt(LengthBeats);

    /// <summary>The time of <paramref name="beat"/> from the pattern's start, in seconds.</summary>
    public double SecondsAt(double beat) => beat * 60 / Bpm;

    /// <summary>A note for <paramref name="beats"/>, sounding for <paramref name="gate"/> of them (the rest is a gap).</summary>
    public Pattern Note(MidiNote note, double beats = 1, double velocity = 0.8, double gate = 0.9)
        => Chord([note], beats, velocity, gate);

    /// <summary>Notes together for <paramref name="beats"/>, each sounding for <paramref name="gate"/> of them.</summary>
    public Pattern Chord(IEnumerable<MidiNote> notes, double beats = 1, double velocity = 0.8, double gate = 0.9)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ParameterGuard.InRange(beats, 1.0 / 64, 1024, " beats", nameof(beats));
        ParameterGuard.InRange(velocity, 0, 1, "", nameof(velocity));
        ParameterGuard.InRange(gate, 0.01, 1, "", nameof(gate));
        var added = notes.Select(note => new PatternNote(LengthBeats, beats * gate, note, velocity)).ToArray();
        return added.Length == 0 ? throw new ArgumentException("A chord needs one note or more.", nameof(notes))
            : new Pattern(Bpm, Notes.AddRange(added), LengthBeats + beats);
    }

    /// <summary>Silence for <paramref name="beats"/>.</summary>
    public Pattern Rest(double beats = 1)
        => new(Bpm, Notes, LengthBeats + ParameterGuard.InRange(beats, 1.0 / 64, 1024, " beats", nameof(beats)));

    /// <summary>This pattern <paramref name="times"/> over, end to end.</summary>
    public Pattern Repeat(int times)
    {
        ParameterGuard.InRange(times, 1, 1024, nameof(times));
        var notes = Enumerable.Range(0, times)
            .SelectMany(round => Notes.Select(note => note with { StartBeat = note.StartBeat + round * LengthBeats }));
        return new Pattern(Bpm, [.. notes], LengthBeats * times);
    }

    /// <summary>
    /// A pattern from steps of <paramref name="beatsPerStep"/> each, separated by spaces: a note name ("C4", "F#3"), notes
    /// joined by + for a chord ("C4+E4+G4"), or - for a rest.
    /// </summary>
    /// <exception cref="FormatException">A step that is none of these; the message names it.</exception>
    public static Pattern Steps(string steps, double bpm = 120, double beatsPerStep = 0.5, double velocity = 0.8)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var pattern = new Pattern(bpm);
        foreach (var step in steps.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            pattern = step == "-" ? pattern.Rest(beatsPerStep)
                : pattern.Chord(step.Split('+').Select(ParseStep), beatsPerStep, velocity);

            MidiNote ParseStep(string name)
            {
                try
                {
                    return MidiNote.Parse(name);
                }
                catch (FormatException error)
                {
                    throw new FormatException($"Step \"{step}\" of \"{steps}\": {error.Message} A rest is \"-\".", error);
                }
            }
        }
        return pattern;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Notes.Length} notes, {LengthBeats:0.##} beats at {Bpm:0.##} bpm ({Seconds:0.##} s)");
}
