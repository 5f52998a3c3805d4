using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// What one client may change that every listener hears: the synth's parameters (<c>set</c>) and the keys of the
/// instrument the server plays (<c>note-on</c>, <c>note-off</c>). Checked here, at the edge: a bad value is an
/// <c>invalid-value</c> reply that says what to send, and nothing changes.
/// </summary>
internal static class SharedControls
{
    /// <summary><c>set</c>: changes the server's synth, which every connection hears (and is told of).</summary>
    public static ProtocolError? Set(Synth synth, in ClientMessage message)
    {
        try
        {
            if (message.Component is null && (message.Frequency is not null || message.Amplitude is not null))
            {
                throw new ArgumentOutOfRangeException("component", "frequency and amplitude need a \"component\" index.");
            }
            if (message.Component is null && message.Gain is null)
            {
                throw new ArgumentOutOfRangeException("op", "set needs \"component\" with \"frequency\" and/or \"amplitude\", or \"gain\".");
            }
            if (message.Gain is { } gain)
            {
                ParameterGuard.InRange(gain, 0, SynthLimits.MaxGain, "", "gain");
            }
            if (message.Component is { } component)
            {
                var index = component == Math.Floor(component) && component >= 0 && component < synth.ComponentCount
                    ? (int)component
                    : throw new ArgumentOutOfRangeException("component",
                        $"component must be a whole number in [0, {synth.ComponentCount - 1}]; got {component}.");
                synth.Set(index, message.Frequency, message.Amplitude);
            }
            if (message.Gain is { } newGain)
            {
                synth.Gain = newGain;
            }
            return null;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return new ProtocolError(ProtocolError.InvalidValue, ExceptionText.WithoutParameterName(ex.Message));
        }
    }

    /// <summary>
    /// <c>note-on</c>, <c>note-off</c>: plays the instrument <paramref name="patch"/> (the server's) plays, which every
    /// connection hears; a key with <c>at</c> sounds there on the stream of <paramref name="clock"/> (the sender's).
    /// </summary>
    public static ProtocolError? Note(Patch patch, in ClientMessage message, ListenerClock? clock)
    {
        if (patch.Instrument is not { } instrument)
        {
            return new ProtocolError(ProtocolError.NoInstrument,
                $"The server plays '{ClientMessage.Quoted(patch.Name)}', which has no keys: set server.Source to an instrument (server.Source = new Instrument()).");
        }
        var op = message.Op == ClientOp.NoteOn ? "note-on" : "note-off";
        if (message.Note is not { } note || note != Math.Floor(note) || note is < 0 or > 127)
        {
            return new ProtocolError(ProtocolError.InvalidValue,
                $"{op} needs \"note\": a MIDI note number, a whole number in [0, 127]; got {message.Note?.ToString() ?? "nothing"}.");
        }
        // A page may time its key to a sample of its own stream (just ahead of what it plays): it hears it there.
        const double LargestSample = 1L << 53;
        if (message.At is { } at && !(at == Math.Floor(at) && at is >= 0 and <= LargestSample))
        {
            return new ProtocolError(ProtocolError.InvalidValue,
                $"at must be a sample of this connection's stream, a whole number in [0, 2^53]; got {at}.");
        }
        var velocity = message.Velocity ?? 0.8;
        if (message.Op == ClientOp.NoteOn && !(velocity is >= 0 and <= 1))
        {
            return new ProtocolError(ProtocolError.InvalidValue, $"velocity must be a number in [0, 1]; got {velocity}.");
        }
        instrument.Key(message.Op == ClientOp.NoteOn, (int)note, velocity, message.At is null ? null : clock,
            (long)(message.At ?? 0));
        return null;
    }
}
