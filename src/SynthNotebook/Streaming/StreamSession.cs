using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// One client connection, run as the two loops of a WebSocket: one reads messages and hands each op to the connection's
/// <see cref="Streamer"/>, one writes error replies, parameter broadcasts and whatever the streamer has due
/// (docs/protocol.md). The handshake before them (<see cref="SessionHandshake"/>) decides which streamer it is.
/// </summary>
internal sealed class StreamSession
{
    private const int MaxQueuedReplies = 64;

    private readonly SessionSocket _socket;
    private readonly SharedState _shared;
    private readonly Synth _synth;
    private readonly SynthServerOptions _options;
    private readonly SessionHandshake _handshake;
    private readonly StreamStatistics _statistics;
    private readonly Action<SourceFault> _faulted;
    // The writer runs on in the reader's thread when a credit wakes it (no thread-pool hop per block); it yields back
    // as soon as it waits, on the next wake or a send the socket cannot take at once.
    private readonly Channel<bool> _wake = Channel.CreateUnbounded<bool>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Action _wakeWriter;
    private readonly ConcurrentQueue<byte[]> _outgoingText = new();
    private int _queuedReplies; // error replies not yet sent: bounded, so a client that floods and never reads is closed
    private readonly ServerMessages _readerMessages = new();
    private readonly ServerMessages _writerMessages = new();
    private long _versionSent;           // the stream's version last told (the writer's alone)
    private long _parametersSent = -1;   // the version of the newest params broadcast (the writer's alone)
    private int _changed;
    private int _sourceSent;             // the version of the patch the newest source message named (the writer's alone)
    private string? _faultSent;          // the newest source failure told (the writer's alone)
    private volatile bool _broadcasting; // parameters go out once the welcome did, and never to the seed's client
    private Streamer? _streamer;

    public StreamSession(WebSocket socket, SharedState shared, SynthServerOptions options, AccessToken token, string? queryToken,
        StreamStatistics statistics, Action<SourceFault> faulted, GatheringStream? gathering = null)
    {
        _socket = new SessionSocket(socket, options.SendTimeout, gathering);
        _shared = shared;
        _synth = shared.Synth;
        _options = options;
        _handshake = new SessionHandshake(options, token, queryToken, _synth);
        _statistics = statistics;
        _faulted = faulted;
        _wakeWriter = () => _wake.Writer.TryWrite(true);
    }

    /// <summary>Runs until the client leaves, the session closes it, or <paramref name="abort"/> fires.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        var buffer = new byte[_options.MaxMessageBytes];
        var writer = Task.CompletedTask;
        using var stopWriter = abort.Register(static wake => ((Channel<bool>)wake!).Writer.TryComplete(), _wake);
        using var socket = _socket;
        socket.Open(abort);
        try
        {
            try
            {
                await StartAsync(buffer, abort);
                writer = WriteLoopAsync(abort);
                await ReadLoopAsync(buffer, abort);
            }
            catch (SessionClose close)
            {
                await CloseAsync(close.Status, close.Message);
                await _socket.DrainUntilCloseAsync(buffer, close.PendingReceive);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished or the server is being torn down: nothing left to tell anyone.
        }
        finally
        {
            _wake.Writer.TryComplete();
            await writer.ContinueWith(static _ => { }, TaskScheduler.Default);
            _streamer?.Dispose();
            _socket.AbortUnlessClosed();
        }
    }

    /// <summary>
    /// Tells the writer that something a listener hears changed (the synth's parameters, the server's patch, notes
    /// played); it sends the newest (bursts coalesce). The change comes on the thread that made it (a notebook cell,
    /// another client's reader), and the writer would run on in it (its wake-ups continue synchronously): it is woken
    /// from the pool instead, so a setter never does socket I/O.
    /// </summary>
    public void Changed()
    {
        if (_broadcasting && Interlocked.Exchange(ref _changed, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static wake => wake.TryWrite(true), _wake.Writer, preferLocal: false);
        }
    }

    /// <summary>Sends a close frame once (safe from any thread); later sends are dropped.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        await _socket.CloseAsync(status, reason);
        _wakeWriter();
    }

    /// <summary>The handshake, the streamer it asks for, and (unless the seed's client) the welcome.</summary>
    private async Task StartAsync(byte[] buffer, CancellationToken abort)
    {
        var request = await _handshake.ReadAsync(_socket, buffer, abort);
        _streamer = request.Mode == StreamMode.Duplex
            ? new DuplexStreamer(_socket, _statistics, _shared.Chain, _shared.Microphone, request)
            : new SynthStreamer(_socket, _statistics, _options, _shared, request, _wakeWriter, OnSourceFault);
        _statistics.Listening();
        if (request.SeedMode)
        {
            return;
        }
        _broadcasting = true; // before the welcome reads the parameters: a change after that is broadcast
        var version = _shared.Version;   // read first: a change after it is told after the welcome
        var (parameters, source) = (_synth.Parameters, _shared.Sources.Current);
        (_versionSent, _parametersSent, _sourceSent) = (version, parameters.Version, source.Version);
        var welcome = _readerMessages.Welcome(request.Mode, request.SampleRate, request.BlockSize, _options.MaxCredits,
            _streamer.PaceGroup, _streamer.RewindBlocks, _synth.Ramp, parameters, version, PatchTraits.Of(source.Value, _synth));
        await _socket.SendAsync(welcome, WebSocketMessageType.Text, abort);
    }

    private async Task ReadLoopAsync(byte[] buffer, CancellationToken abort)
    {
        var streamer = _streamer!;
        while (true)
        {
            var (type, length) = await _socket.ReceiveMessageAsync(buffer, abort);
            if (type == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (_socket.CloseSent)
            {
                continue;
            }
            if (type == WebSocketMessageType.Binary)
            {
                await streamer.AudioAsync(buffer.AsMemory(0, length), abort);
                continue;
            }
            if (Handle(streamer, buffer.AsSpan(0, length)) is { } error)
            {
                Reply(error);
            }
        }
    }

    private ProtocolError? Handle(Streamer streamer, ReadOnlySpan<byte> text)
    {
        if (!ClientMessage.LooksLikeJson(text))
        {
            return streamer.Request();
        }
        if (!ClientMessage.TryParse(text, out var message, out var error))
        {
            return error;
        }
        return message.Op switch
        {
            ClientOp.Credit => streamer.Credit(message.Blocks),
            ClientOp.Hold => streamer.Hold(message.Blocks),
            ClientOp.Rewind => streamer.Rewind(message.From),
            ClientOp.Set => SharedControls.Set(_synth, message),
            ClientOp.NoteOn or ClientOp.NoteOff => SharedControls.Note(_shared.Sources.Value, message, streamer.Clock),
            _ => new ProtocolError(ProtocolError.UnexpectedHello, "This connection already said hello."),
        };
    }

    /// <summary>
    /// The newest parameters and patch, each when it is not the one last told; a newer version with neither changed was
    /// notes played on the instrument.
    /// </summary>
    private async Task SendChangesAsync(CancellationToken abort)
    {
        var version = _shared.Version;
        if (version == _versionSent)
        {
            return;
        }
        _versionSent = version;
        var told = false;
        if (_synth.Parameters is var parameters && parameters.Version != _parametersSent)
        {
            _parametersSent = parameters.Version;
            told = true;
            await _socket.SendAsync(_writerMessages.Parameters(parameters, version), WebSocketMessageType.Text, abort);
        }
        if (_shared.Sources.Current is var source && source.Version != _sourceSent)
        {
            _sourceSent = source.Version;
            _faultSent = null;   // a new patch's failure is news, even in the same words
            told = true;
            await _socket.SendAsync(_writerMessages.Source(PatchTraits.Of(source.Value, _synth), version, error: null), WebSocketMessageType.Text, abort);
        }
        if (!told)
        {
            await _socket.SendAsync(_writerMessages.Notes(version), WebSocketMessageType.Text, abort);
        }
    }

    /// <summary>
    /// This connection's source failed (on the writer, while rendering): the server hears of it, and the client is told
    /// once per failure, behind the block being sent.
    /// </summary>
    private void OnSourceFault(SourceFault fault)
    {
        _faulted(fault);
        if (fault.Message != _faultSent && _broadcasting)
        {
            _faultSent = fault.Message;
            _outgoingText.Enqueue(_writerMessages.Source(
                PatchTraits.Of(_shared.Sources.Value, _synth) with { Name = fault.PatchName }, _shared.Version, fault.Message).ToArray());
            _wakeWriter();
        }
    }

    private void Reply(ProtocolError error)
    {
        if (Interlocked.Increment(ref _queuedReplies) > MaxQueuedReplies)
        {
            throw new SessionClose(WebSocketCloseStatus.PolicyViolation,
                $"Over {MaxQueuedReplies} error replies wait unread: read the server's messages, and fix the ones it refuses.");
        }
        _outgoingText.Enqueue(_readerMessages.Error(error).ToArray());
        _wakeWriter();
    }

    private async Task WriteLoopAsync(CancellationToken abort)
    {
        var wake = _wake.Reader;
        var streamer = _streamer!;
        while (!_socket.CloseSent)
        {
            while (wake.TryRead(out _))
            {
            }
            while (_outgoingText.TryDequeue(out var text))
            {
                await _socket.SendAsync(text, WebSocketMessageType.Text, abort);
                Interlocked.Decrement(ref _queuedReplies);
            }
            // A change that lands after the flag was taken but before the parameters were read is sent by this pass;
            // its own wake-up must not send the same version again.
            if (Interlocked.Exchange(ref _changed, 0) == 1)
            {
                await SendChangesAsync(abort);
            }
            if (await streamer.SendDueAsync(abort))
            {
                continue;
            }
            // No token: a cancellable wait allocates a waiter every time; abort completes the channel instead.
            if (!await wake.WaitToReadAsync())
            {
                return;
            }
        }
    }
}
