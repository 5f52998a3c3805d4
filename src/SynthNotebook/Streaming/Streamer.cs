using System.Net.WebSockets;
using SynthNotebook.Processing;

namespace SynthNotebook.Streaming;

/// <summary>
/// What a connection streams, one kind per mode (<see cref="SynthStreamer"/>, <see cref="DuplexStreamer"/>): the
/// session reads messages and hands each op here, and gives the writer's turn here after replies and parameters. An op
/// the mode has no use for is answered with a <c>not-in-this-mode</c> error that says what it is for.
/// </summary>
internal abstract class Streamer : IDisposable
{
    /// <summary>The blocks per write on the server's clock (for the welcome); 0 when blocks go by credits.</summary>
    public virtual int PaceGroup => 0;

    /// <summary>Where this connection's stream is, for notes its page times to a sample; null when it renders no patch.</summary>
    public virtual ListenerClock? Clock => null;

    /// <summary>How many sent blocks a rewind can reach (for the welcome); 0 without a history.</summary>
    public virtual int RewindBlocks => 0;

    /// <summary>A text message that is not JSON: the seed's request for one block.</summary>
    public abstract ProtocolError? Request();

    /// <summary><c>credit {blocks}</c>.</summary>
    public abstract ProtocolError? Credit(double? blocks);

    /// <summary><c>hold {blocks}</c>: a paced connection's clock leaves blocks out.</summary>
    public virtual ProtocolError? Hold(double? blocks) => new ProtocolError(ProtocolError.NotInThisMode,
        "hold is for a paced connection (hello with \"pace\"): this one sends only what is credited.");

    /// <summary><c>rewind {from}</c>: sent blocks rendered again with the parameters of now.</summary>
    public virtual ProtocolError? Rewind(double? from) => new ProtocolError(ProtocolError.NotInThisMode,
        "rewind is for a synth connection whose hello said \"rewind\": true; this one keeps no history.");

    /// <summary>A binary message: the client's audio.</summary>
    public virtual ValueTask AudioAsync(ReadOnlyMemory<byte> message, CancellationToken abort) =>
        throw new SessionClose(WebSocketCloseStatus.InvalidMessageType,
            "Binary messages from the client are audio, for duplex mode only (hello with \"mode\":\"duplex\").");

    /// <summary>
    /// The writer's turn: sends what is due now and says whether it sent anything. When nothing is due it arranges to
    /// wake the writer when something will be.
    /// </summary>
    public virtual ValueTask<bool> SendDueAsync(CancellationToken abort) => new(false);

    /// <summary>Lets go of what the connection held in the server (its feed of the microphone input).</summary>
    public virtual void Dispose()
    {
    }

    /// <summary>Whether a message's number is present and a whole number in [min, max] (NaN and infinities are not).</summary>
    protected static bool IsWholeIn(double? value, long min, long max, out long whole)
    {
        var valid = value is { } number && number == Math.Floor(number) && number >= min && number <= max;
        whole = valid ? (long)value!.Value : 0;
        return valid;
    }
}
