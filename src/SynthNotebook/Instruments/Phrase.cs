namespace SynthNotebook.Instruments;

/// <summary>
/// Notes played together from one moment (a <see cref="Pattern"/>, or one note with its length) as the key presses and
/// releases they make, in time order, each at a time in seconds from the phrase's start. A listener puts each on the
/// sample <see cref="SampleOf"/> says at its rate; an offline render does the same, so both place them alike.
/// </summary>
internal sealed class Phrase
{
    public Phrase(IEnumerable<(double Start, double Length, int Note, double Velocity)> notes)
    {
        // A release at the same time as a press goes first: a note repeated back to back is let go, then struck again.
        Edges = [.. notes
            .SelectMany(n => new[] { new Edge(n.Start, n.Note, n.Velocity, true), new Edge(n.Start + n.Length, n.Note, 0, false) })
            .OrderBy(edge => edge.Seconds).ThenBy(edge => edge.On)];
    }

    /// <summary>A press (<c>On</c>) or a release of <c>Note</c>, <c>Seconds</c> after the phrase's start.</summary>
    public readonly record struct Edge(double Seconds, int Note, double Velocity, bool On);

    public Edge[] Edges { get; }

    /// <summary>The sample, from the phrase's start, an edge falls on at <paramref name="sampleRate"/>.</summary>
    public static long SampleOf(in Edge edge, int sampleRate) => (long)Math.Round(edge.Seconds * sampleRate);

    public static Phrase Of(Pattern pattern) => new(pattern.Notes.Select(note =>
        (pattern.SecondsAt(note.StartBeat), pattern.SecondsAt(note.Beats), note.Note.Number, note.Velocity)));
}
