using System.Net.WebSockets;
using SynthNotebook.Processing;

namespace SynthNotebook.Streaming;

/// <summary>
/// A duplex connection: every audio block the client sends (its microphone) comes back through the server's chain,
/// with the same sequence number, and feeds the server's microphone input (a patch may play it to every listener).
/// The chain is the notebook user's code; if making or running it throws, this connection closes with 1011 saying
/// which error, and the server and other connections carry on.
/// </summary>
internal sealed class DuplexStreamer : Streamer
{
    private readonly SessionSocket _socket;
    private readonly StreamStatistics _statistics;
    private readonly SwapSlot<AudioChain> _chain;
    private readonly ChainSwitch _switch;
    private readonly BlockFrame _frame;
    private readonly LiveInput.Feed _feed;

    public DuplexStreamer(SessionSocket socket, StreamStatistics statistics, SwapSlot<AudioChain> chain, LiveInput microphone,
        StreamRequest request)
    {
        _socket = socket;
        _statistics = statistics;
        _chain = chain;
        _frame = new BlockFrame(request.BlockSize);
        try
        {
            _switch = new ChainSwitch(chain.Current, request.SampleRate, request.BlockSize);
        }
        catch (Exception ex) when (ex is not SessionClose)
        {
            throw ChainFailed(ex);
        }
        _feed = microphone.OpenFeed(request.SampleRate);
    }

    public override ProtocolError? Request() => new ProtocolError(ProtocolError.NotInThisMode,
        "A duplex connection gets blocks for the audio it sends, not on request.");

    public override ProtocolError? Credit(double? blocks) => new ProtocolError(ProtocolError.NotInThisMode,
        "credit has no meaning in duplex mode: every audio block sent is answered by one processed block.");

    public override ProtocolError? Hold(double? blocks) => new ProtocolError(ProtocolError.NotInThisMode,
        "hold is for a paced connection (hello with \"pace\"): a duplex connection gets a block for each block it sends.");

    /// <summary>Runs one block of the client's audio through the chain and sends it back with the same sequence number.</summary>
    public override async ValueTask AudioAsync(ReadOnlyMemory<byte> message, CancellationToken abort)
    {
        if (!UpstreamFrame.TryRead(message.Span, _frame.Samples, out var sequence, out var problem))
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, problem);
        }
        _feed.Write(_frame.Samples);   // as it came: a patch that plays the microphone shapes it its own way
        // The chain is the user's code, which may take its time: off the socket's I/O thread, which other
        // connections share.
        await Task.Yield();
        try
        {
            _switch.Process(_frame.Samples, _chain.Current);
            SampleGuard.ReplaceNonFinite(_frame.Samples);
        }
        catch (Exception ex) when (ex is not SessionClose)
        {
            throw ChainFailed(ex);
        }
        _frame.Seal(sequence, _switch.Version);
        if (await _socket.SendAsync(_frame.WithHeader, WebSocketMessageType.Binary, abort))
        {
            _statistics.BlockSent();
        }
    }

    public override void Dispose() => _feed.Dispose();

    private static SessionClose ChainFailed(Exception error) => new(WebSocketCloseStatus.InternalServerError,
        $"The server's processing chain failed: {error.GetType().Name}: {ExceptionText.WithoutParameterName(error.Message)}");
}
