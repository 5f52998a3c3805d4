using System.Globalization;

namespace SynthNotebook.Synthesis;

/// <summary>
/// A note as MIDI numbers it (0–127, middle C = 60 = "C4", A4 = 69 = 440 Hz, equal temperament), read from a name like
/// "A4", "C#3", "Eb5" or "c-1".
/// </summary>
public readonly record struct MidiNote
{
    private static readonly string[] Names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
    private static readonly int[] Steps = [9, 11, 0, 2, 4, 5, 7];   // A..G: semitones above C

    /// <summary>The note <paramref name="number"/>, in [0, 127].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number outside MIDI's range.</exception>
    public MidiNote(int number) => Number = ParameterGuard.InRange(number, 0, 127);

    /// <summary>The MIDI note number, in [0, 127].</summary>
    public int Number { get; }

    /// <summary>Its pitch in hertz: 440 · 2^((n − 69) / 12).</summary>
    public double Frequency => 440 * Math.Pow(2, (Number - 69) / 12.0);

    /// <summary>Its name with sharps, e.g. "A4", "C#-1".</summary>
    public string Name => Names[Number % 12] + (Number / 12 - 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a note name: a letter A–G, any number of # or b, an octave from −1 to 9.</summary>
    /// <exception cref="FormatException">Not a note name; the message shows the form.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A note outside MIDI's 0–127 (C-1 to G9).</exception>
    public static MidiNote Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim();
        var letter = text.Length > 0 ? char.ToUpperInvariant(text[0]) - 'A' : -1;
        if (letter is < 0 or > 6)
        {
            throw NotANote(name);
        }
        var semitone = Steps[letter];
        var i = 1;
        for (; i < text.Length && text[i] is '#' or 'b'; i++)
        {
            semitone += text[i] == '#' ? 1 : -1;
        }
        if (!int.TryParse(text.AsSpan(i), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var octave))
        {
            throw NotANote(name);
        }
        var number = (octave + 1) * 12 + semitone;
        return number is >= 0 and <= 127 ? new MidiNote(number)
            : throw new ArgumentOutOfRangeException(nameof(name), $"{name} is note {number}, outside MIDI's 0–127 (C-1 to G9).");
    }

    /// <summary>A note number as a note.</summary>
    public static implicit operator MidiNote(int number) => new(number);

    /// <summary>A note name as a note (see <see cref="Parse"/>).</summary>
    public static implicit operator MidiNote(string name) => Parse(name);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Number}, {Frequency:0.##} Hz)";

    private static FormatException NotANote(string name) =>
        new($"\"{name}\" is not a note name: a letter A–G, then # or b if any, then an octave, as in \"A4\", \"C#3\" or \"Eb5\".");
}
