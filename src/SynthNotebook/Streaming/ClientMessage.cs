using System.Text;
using System.Text.Json;

namespace SynthNotebook.Streaming;

/// <summary>The operations a client may ask for in a JSON text message (docs/protocol.md).</summary>
internal enum ClientOp
{
    Hello,
    Credit,
    Hold,
    Rewind,
    Set,
    NoteOn,
    NoteOff,
}

/// <summary>
/// One parsed JSON control message. Parsed with <see cref="Utf8JsonReader"/> so that the per-block credit messages
/// allocate nothing; unknown properties are ignored so newer clients keep working.
/// </summary>
internal readonly record struct ClientMessage(
    ClientOp Op,
    string? Token = null,
    double? SampleRate = null,
    double? BlockSize = null,
    double? Blocks = null,
    double? Component = null,
    double? Frequency = null,
    double? Amplitude = null,
    double? Gain = null,
    string? Mode = null,
    double? Pace = null,
    double? From = null,
    bool Rewind = false,
    double? Note = null,
    double? Velocity = null,
    double? At = null)
{
    /// <summary>True when a text message is meant as JSON; anything else is the seed's "give me a block".</summary>
    public static bool LooksLikeJson(ReadOnlySpan<byte> text)
    {
        var trimmed = text.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] == (byte)'{';
    }

    /// <summary>Parses a JSON control message; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out ClientMessage message, out ProtocolError error)
    {
        message = default;
        error = default;
        try
        {
            return TryRead(json, out message, out error);
        }
        catch (JsonException ex)
        {
            error = new ProtocolError(ProtocolError.InvalidJson, $"The message is not valid JSON: {ex.Message}");
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.GetString on a string that is not valid UTF-8.
            error = new ProtocolError(ProtocolError.InvalidJson, $"The message is not valid UTF-8 JSON: {ex.Message}");
            return false;
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> json, out ClientMessage message, out ProtocolError error)
    {
        message = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = new ProtocolError(ProtocolError.InvalidJson, "A control message must be a JSON object.");
            return false;
        }

        string? op = null, token = null, mode = null;
        var rewind = false;
        double? sampleRate = null, blockSize = null, blocks = null, pace = null, from = null, component = null, frequency = null, amplitude = null, gain = null;
        double? note = null, velocity = null, at = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            if (!reader.Read())
            {
                break;
            }
            if (name.SequenceEqual("op"u8))
            {
                op = reader.TokenType == JsonTokenType.String ? OpName(ref reader) : null;
            }
            else if (name.SequenceEqual("token"u8))
            {
                token = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("mode"u8))
            {
                mode = reader.TokenType == JsonTokenType.String ? reader.GetString() : $"({reader.TokenType})";
            }
            else if (name.SequenceEqual("rewind"u8))
            {
                rewind = reader.TokenType == JsonTokenType.True;
            }
            else if (!TryNumber(ref reader, name, "sampleRate"u8, ref sampleRate, out error)
                || !TryNumber(ref reader, name, "blockSize"u8, ref blockSize, out error)
                || !TryNumber(ref reader, name, "blocks"u8, ref blocks, out error)
                || !TryNumber(ref reader, name, "pace"u8, ref pace, out error)
                || !TryNumber(ref reader, name, "from"u8, ref from, out error)
                || !TryNumber(ref reader, name, "component"u8, ref component, out error)
                || !TryNumber(ref reader, name, "frequency"u8, ref frequency, out error)
                || !TryNumber(ref reader, name, "amplitude"u8, ref amplitude, out error)
                || !TryNumber(ref reader, name, "gain"u8, ref gain, out error)
                || !TryNumber(ref reader, name, "note"u8, ref note, out error)
                || !TryNumber(ref reader, name, "velocity"u8, ref velocity, out error)
                || !TryNumber(ref reader, name, "at"u8, ref at, out error))
            {
                return false;
            }
            reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            error = new ProtocolError(ProtocolError.InvalidJson, "The message is not a single JSON object.");
            return false;
        }

        ClientOp? parsed = op switch
        {
            "hello" => ClientOp.Hello,
            "credit" => ClientOp.Credit,
            "hold" => ClientOp.Hold,
            "rewind" => ClientOp.Rewind,
            "set" => ClientOp.Set,
            "note-on" => ClientOp.NoteOn,
            "note-off" => ClientOp.NoteOff,
            _ => null,
        };
        if (parsed is null)
        {
            error = new ProtocolError(ProtocolError.UnknownOp,
                op is null ? $"The message has no \"op\"; expected one of {OpNames}."
                           : $"Unknown op \"{Quoted(op)}\"; expected one of {OpNames}.");
            return false;
        }
        message = new ClientMessage(parsed.Value, token, sampleRate, blockSize, blocks, component, frequency, amplitude, gain, mode, pace, from, rewind,
            note, velocity, at);
        error = default;
        return true;
    }

    private const string OpNames = "hello, credit, hold, rewind, set, note-on, note-off";

    // The common ops are interned so a credit message costs no string.
    private static string OpName(ref Utf8JsonReader reader)
        => reader.ValueTextEquals("credit"u8) ? "credit"
         : reader.ValueTextEquals("set"u8) ? "set"
         : reader.ValueTextEquals("hold"u8) ? "hold"
         : reader.ValueTextEquals("rewind"u8) ? "rewind"
         : reader.ValueTextEquals("note-on"u8) ? "note-on"
         : reader.ValueTextEquals("note-off"u8) ? "note-off"
         : reader.ValueTextEquals("hello"u8) ? "hello"
         : reader.GetString() ?? "";

    /// <summary>
    /// Reads a numeric property when <paramref name="name"/> is <paramref name="expected"/>. JSON has no NaN or infinity,
    /// so the strings "NaN", "Infinity" and "-Infinity" are read as those values and then refused by the range checks
    /// with a message that names the parameter.
    /// </summary>
    private static bool TryNumber(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected,
        ref double? value, out ProtocolError error)
    {
        error = default;
        if (!name.SequenceEqual(expected))
        {
            return true;
        }
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number))
        {
            value = number;
            return true;
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("NaN"u8)) { value = double.NaN; return true; }
            if (reader.ValueTextEquals("Infinity"u8)) { value = double.PositiveInfinity; return true; }
            if (reader.ValueTextEquals("-Infinity"u8)) { value = double.NegativeInfinity; return true; }
        }
        error = new ProtocolError(ProtocolError.InvalidValue,
            $"\"{Encoding.UTF8.GetString(expected)}\" must be a number; got {reader.TokenType}.");
        return false;
    }

    // An error repeats at most this much of what the client sent: a reply must not be a multiple of a large message.
    private const int MaxEchoedChars = 40;

    /// <summary>At most <c>MaxEchoedChars</c> of <paramref name="text"/>, as an error quotes what it refuses.</summary>
    internal static string Quoted(string text) => text.Length <= MaxEchoedChars ? text : text[..MaxEchoedChars] + "…";
}
