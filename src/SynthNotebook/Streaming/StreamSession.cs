using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// One client connection: its own voice of the synth, its credits (or its pace, on the server's clock), and the two
/// loops of a WebSocket — one reading control messages, one writing blocks, parameter broadcasts and errors
/// (docs/protocol.md). In duplex mode the reading
/// loop also takes the client's audio blocks and answers each with the block run through the server's chain.
/// </summary>
internal sealed class StreamSession
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    // How long a close waits for a send under way; a send stuck on a client that stopped reading is cut short.
    private static readonly TimeSpan CloseWaitForSend = TimeSpan.FromSeconds(1);
    private const int MaxQueuedReplies = 64;
    private const double PacingBurstSeconds = 10; // audio a connection may take at once before pacing applies
    private const int MaxCloseReasonBytes = 123; // RFC 6455 §5.5: control frames carry at most 125 bytes

    private readonly WebSocket _socket;
    private readonly Synth _synth;
    private readonly SynthServerOptions _options;
    private readonly AccessToken _token;
    private readonly string? _queryToken;
    private readonly StreamStatistics _statistics;
    private readonly ChainSlot _chain;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    // The writer runs on in the reader's thread when a credit wakes it (no thread-pool hop per block); it yields back
    // as soon as it waits, on the next wake or a send the socket cannot take at once.
    private readonly Channel<bool> _wake = Channel.CreateUnbounded<bool>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly ConcurrentQueue<byte[]> _outgoingText = new();
    private readonly byte[] _overLimit = new byte[1];
    private int _queuedReplies; // error replies not yet sent: bounded, so a client that floods and never reads is closed
    private readonly ServerMessages _readerMessages = new();
    private readonly ServerMessages _writerMessages = new();
    private long _parametersSent = -1;   // the version of the newest params broadcast (the writer's alone)
    private OscillatorBank? _voice;     // a synth stream's own voice (duplex plays the microphone through the chain)
    private int _sampleRate;
    private BlockFrame? _frame;
    private bool _seedMode;
    private StreamMode _mode;
    private ChainSwitch? _chainSwitch;
    private volatile bool _closeSent;
    private CancellationTokenSource? _sendLimit; // abort, or a send that outlasts SendTimeout
    private int _credits;
    private int _parametersChanged;
    private long _sequence;
    private long _pacingStart;     // Stopwatch ticks at the first block, for MaxRealTimeFactor
    private readonly GatheringStream? _gathering;   // sends a batch of credited blocks as one write, when there is one
    private const int MaxGathered = 16;
    private PaceSchedule? _pace;   // a paced connection's clock (hello "pace"): blocks without credits
    private int _clockArmed;
    private int _heldBlocks;   // hold requests the writer has not yet applied to the schedule
    private Action? _clockWake;
    private RewindHistory? _history;   // hello "rewind": the voice's states, to render sent blocks again
    private long _sentEnd;             // blocks ever sent (a rewind lowers _sequence while it sends again)
    private long _rewindFrom = -1;     // the oldest block a rewind asked for that the writer has not yet gone back to

    public StreamSession(WebSocket socket, Synth synth, SynthServerOptions options, AccessToken token, string? queryToken,
        StreamStatistics statistics, ChainSlot chain, GatheringStream? gathering = null)
    {
        _chain = chain;
        _gathering = gathering;
        _socket = socket;
        _synth = synth;
        _options = options;
        _token = token;
        _queryToken = queryToken;
        _statistics = statistics;
    }

    /// <summary>Runs until the client leaves, the session closes it, or <paramref name="abort"/> fires.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        var buffer = new byte[_options.MaxMessageBytes];
        var writer = Task.CompletedTask;
        using var stopWriter = abort.Register(static wake => ((Channel<bool>)wake!).Writer.TryComplete(), _wake);
        using var sendLimit = CancellationTokenSource.CreateLinkedTokenSource(abort);
        _sendLimit = sendLimit;
        try
        {
            try
            {
                await GreetAsync(buffer, abort);
                writer = WriteLoopAsync(abort);
                await ReadLoopAsync(buffer, abort);
            }
            catch (SessionClose close)
            {
                await CloseAsync(close.Status, close.Message);
                await DrainUntilCloseAsync(buffer, close.PendingReceive);
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
            if (_socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }
        }
    }

    /// <summary>
    /// Tells the writer that the synth's parameters changed; it sends the newest ones (bursts coalesce). The change
    /// comes on the thread that made it (a notebook cell, another client's reader), and the writer would run on in it
    /// (its wake-ups continue synchronously): it is woken from the pool instead, so a setter never does socket I/O.
    /// </summary>
    public void ParametersChanged()
    {
        if (_frame is not null && !_seedMode && Interlocked.Exchange(ref _parametersChanged, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static wake => wake.TryWrite(true), _wake.Writer, preferLocal: false);
        }
    }

    /// <summary>
    /// Sends a close frame once; later sends are dropped. Safe to call from any thread. A client that stopped reading,
    /// with a send stuck on it, cannot take a close frame either: its connection is aborted instead.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (!await _sendLock.WaitAsync(CloseWaitForSend))
        {
            _closeSent = true;
            _socket.Abort();
            _wake.Writer.TryWrite(true);
            return;
        }
        try
        {
            if (_closeSent)
            {
                return;
            }
            _closeSent = true;
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await _socket.CloseOutputAsync(status, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer is already gone.
        }
        finally
        {
            _sendLock.Release();
            _wake.Writer.TryWrite(true);
        }
    }

    private async Task GreetAsync(byte[] buffer, CancellationToken abort)
    {
        var receive = ReceiveMessageAsync(buffer, abort).AsTask();
        if (await Task.WhenAny(receive, Task.Delay(_options.HelloTimeout, abort)) != receive)
        {
            throw new SessionClose(WebSocketCloseStatus.PolicyViolation,
                $"No hello within {_options.HelloTimeout.TotalSeconds:0.#} s.") { PendingReceive = receive };
        }
        var (type, length) = await receive;
        var message = buffer.AsSpan(0, length);
        if (type == WebSocketMessageType.Close)
        {
            throw new SessionClose(WebSocketCloseStatus.NormalClosure, "");
        }
        if (type == WebSocketMessageType.Binary)
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidMessageType, "The first message must be a text hello.");
        }

        if (!ClientMessage.LooksLikeJson(message))
        {
            // The seed's client: no hello, token in the URL, every text message asks for one headerless block.
            RequireToken(null);
            _seedMode = true;
            Start(_synth.SampleRate, _synth.BlockSize);
            GrantCredits(1);
            return;
        }

        if (!ClientMessage.TryParse(message, out var hello, out var error) || hello.Op != ClientOp.Hello)
        {
            throw new SessionClose(WebSocketCloseStatus.ProtocolError,
                "The first JSON message must be {\"op\":\"hello\",...}. " + error.Message);
        }
        RequireToken(hello.Token);
        _mode = hello.Mode switch
        {
            null or "synth" => StreamMode.Synth,
            "duplex" => StreamMode.Duplex,
            _ => throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData,
                $"mode must be \"synth\" or \"duplex\"; got {hello.Mode}."),
        };
        Start(WholeNumber(hello.SampleRate, _synth.SampleRate, "sampleRate"),
            WholeNumber(hello.BlockSize, _synth.BlockSize, "blockSize"));
        if (_mode == StreamMode.Duplex && BlockFrame.HeaderBytes + _frame!.BlockSize * sizeof(float) > _options.MaxMessageBytes)
        {
            var largest = (_options.MaxMessageBytes - BlockFrame.HeaderBytes) / sizeof(float);
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData,
                $"In duplex mode a block travels in one message of at most {_options.MaxMessageBytes} bytes: blockSize must be at most {largest}.");
        }
        if (hello.Pace is not null)
        {
            var group = WholeNumber(hello.Pace, 0, "pace");
            if (_mode == StreamMode.Duplex || group < 1 || group > PaceSchedule.MaxCatchUp)
            {
                throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, _mode == StreamMode.Duplex
                    ? "pace is for synth mode: a duplex connection gets a block for each block it sends."
                    : $"pace must be a whole number of blocks in [1, {PaceSchedule.MaxCatchUp}]; got {group}.");
            }
            _pace = new PaceSchedule(group, _frame!.BlockSize, _sampleRate, System.Diagnostics.Stopwatch.Frequency);
        }
        if (hello.Rewind && _voice is not null)
        {
            _history = RewindHistory.For(_voice, _frame!.BlockSize, _sampleRate);
        }
        if (_mode == StreamMode.Duplex)
        {
            try
            {
                _chainSwitch = new ChainSwitch(_chain.Current, _sampleRate, _frame!.BlockSize);
            }
            catch (Exception ex) when (ex is not SessionClose)
            {
                throw ChainFailed(ex);
            }
        }
        var welcome = _readerMessages.Welcome(_mode, _sampleRate, _frame!.BlockSize, _options.MaxCredits, _pace?.Group ?? 0,
            _history?.Blocks ?? 0, _synth.Ramp, _synth.Parameters);
        await SendAsync(welcome, WebSocketMessageType.Text, abort);
    }

    private void RequireToken(string? helloToken)
    {
        var presented = helloToken is not null || _queryToken is not null;
        var valid = (helloToken is null || _token.Matches(helloToken)) && (_queryToken is null || _token.Matches(_queryToken));
        if (!presented || !valid)
        {
            throw new SessionClose(WebSocketCloseStatus.PolicyViolation,
                presented ? "Invalid token." : "Missing token: send it in the hello or as ?token= in the URL.");
        }
    }

    private void Start(int sampleRate, int blockSize)
    {
        try
        {
            ParameterGuard.InRange(blockSize, SynthLimits.MinBlockSize, SynthLimits.MaxBlockSize);
            _sampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
            _voice = _mode == StreamMode.Synth ? _synth.CreateVoice(sampleRate) : null;
            _frame = new BlockFrame(blockSize);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, FirstLine(ex.Message));
        }
    }

    private static int WholeNumber(double? value, int fallback, string name)
    {
        if (value is not { } number)
        {
            return fallback;
        }
        if (number != Math.Floor(number) || number is < int.MinValue or > int.MaxValue)
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, $"{name} must be a whole number; got {number}.");
        }
        return (int)number;
    }

    private async Task ReadLoopAsync(byte[] buffer, CancellationToken abort)
    {
        while (true)
        {
            var (type, length) = await ReceiveMessageAsync(buffer, abort);
            if (type == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (_closeSent)
            {
                continue;
            }
            if (type == WebSocketMessageType.Binary)
            {
                if (_mode != StreamMode.Duplex)
                {
                    throw new SessionClose(WebSocketCloseStatus.InvalidMessageType,
                        "Binary messages from the client are audio, for duplex mode only (hello with \"mode\":\"duplex\").");
                }
                await ProcessUpstreamAsync(buffer.AsMemory(0, length), abort);
                continue;
            }
            Handle(buffer.AsSpan(0, length));
        }
    }

    /// <summary>Runs one block of the client's audio through the chain and sends it back with the same sequence number.</summary>
    private async ValueTask ProcessUpstreamAsync(ReadOnlyMemory<byte> message, CancellationToken abort)
    {
        var frame = _frame!;
        if (!UpstreamFrame.TryRead(message.Span, frame.Samples, out var sequence, out var problem))
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, problem);
        }
        // The chain is the user's code, which may take its time: off the socket's I/O thread, which other
        // connections share.
        await Task.Yield();
        try
        {
            _chainSwitch!.Process(frame.Samples, _chain.Current);
            SampleGuard.ReplaceNonFinite(frame.Samples);
        }
        catch (Exception ex) when (ex is not SessionClose)
        {
            throw ChainFailed(ex);
        }
        frame.Seal(sequence, _chainSwitch!.Version);
        if (await SendAsync(frame.WithHeader, WebSocketMessageType.Binary, abort))
        {
            _statistics.BlockSent();
        }
    }

    /// <summary>
    /// The notebook user's processors threw (making or running them): this connection closes with 1011 saying which
    /// error; the server and other connections carry on.
    /// </summary>
    private static SessionClose ChainFailed(Exception error) => new(WebSocketCloseStatus.InternalServerError,
        $"The server's processing chain failed: {error.GetType().Name}: {FirstLine(error.Message)}");

    private void Handle(ReadOnlySpan<byte> text)
    {
        if (!ClientMessage.LooksLikeJson(text))
        {
            if (_mode == StreamMode.Duplex)
            {
                Reply(new ProtocolError(ProtocolError.NotInThisMode, "A duplex connection gets blocks for the audio it sends, not on request."));
                return;
            }
            GrantCredits(1);
            return;
        }
        if (!ClientMessage.TryParse(text, out var message, out var error))
        {
            Reply(error);
            return;
        }
        switch (message.Op)
        {
            case ClientOp.Credit when _mode == StreamMode.Duplex:
                Reply(new ProtocolError(ProtocolError.NotInThisMode,
                    "credit has no meaning in duplex mode: every audio block sent is answered by one processed block."));
                break;
            case ClientOp.Credit:
                Credit(message);
                break;
            case ClientOp.Hold:
                Hold(message);
                break;
            case ClientOp.Rewind:
                Rewind(message);
                break;
            case ClientOp.Set:
                Set(message);
                break;
            default:
                Reply(new ProtocolError(ProtocolError.UnexpectedHello, "This connection already said hello."));
                break;
        }
    }

    private void Credit(in ClientMessage message)
    {
        var max = _options.MaxCredits;
        if (!IsWholeIn(message.Blocks, 1, max, out var blocks))
        {
            Reply(new ProtocolError(ProtocolError.InvalidValue,
                $"credit needs \"blocks\": a whole number in [1, {max}]; got {message.Blocks?.ToString() ?? "nothing"}."));
            return;
        }
        if (!GrantCredits((int)blocks))
        {
            Reply(new ProtocolError(ProtocolError.TooManyCredits,
                $"At most {max} blocks may be granted and not yet sent; the excess was ignored."));
        }
    }

    private void Hold(in ClientMessage message)
    {
        var max = _options.MaxCredits;
        if (_pace is null)
        {
            Reply(new ProtocolError(ProtocolError.NotInThisMode,
                "hold is for a paced connection (hello with \"pace\"): this one sends only what is credited."));
        }
        else if (!IsWholeIn(message.Blocks, 1, max, out var blocks))
        {
            Reply(new ProtocolError(ProtocolError.InvalidValue,
                $"hold needs \"blocks\": a whole number in [1, {max}]; got {message.Blocks?.ToString() ?? "nothing"}."));
        }
        else
        {
            // The writer reads the schedule too: the change reaches it as a pending hold it applies itself.
            Interlocked.Add(ref _heldBlocks, (int)blocks);
        }
    }

    private void Rewind(in ClientMessage message)
    {
        var sent = Volatile.Read(ref _sentEnd);
        if (_history is null)
        {
            Reply(new ProtocolError(ProtocolError.NotInThisMode,
                "rewind is for a synth connection whose hello said \"rewind\": true; this one keeps no history."));
        }
        else if (!IsWholeIn(message.From, 0, sent, out var from))
        {
            Reply(new ProtocolError(ProtocolError.InvalidValue,
                $"rewind needs \"from\": the sequence number of a block already sent, in [0, {sent}]; got {message.From?.ToString() ?? "nothing"}."));
        }
        else
        {
            // The writer owns the voice: it takes the oldest block asked for at its next pass.
            long pending, wanted;
            do
            {
                pending = Volatile.Read(ref _rewindFrom);
                wanted = pending < 0 ? from : Math.Min(pending, from);
            }
            while (Interlocked.CompareExchange(ref _rewindFrom, wanted, pending) != pending);
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>Whether a message's number is present and a whole number in [min, max] (NaN and infinities are not).</summary>
    private static bool IsWholeIn(double? value, long min, long max, out long whole)
    {
        var valid = value is { } number && number == Math.Floor(number) && number >= min && number <= max;
        whole = valid ? (long)value!.Value : 0;
        return valid;
    }

    /// <summary>Adds credits up to the limit; false when some had to be dropped.</summary>
    private bool GrantCredits(int blocks)
    {
        int current, next;
        do
        {
            current = Volatile.Read(ref _credits);
            next = Math.Min(_options.MaxCredits, current + blocks);
        }
        while (Interlocked.CompareExchange(ref _credits, next, current) != current);
        _wake.Writer.TryWrite(true);
        return current + blocks <= _options.MaxCredits;
    }

    private bool TryTakeCredit()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _credits);
            if (current == 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _credits, current - 1, current) != current);
        return true;
    }

    private void Set(in ClientMessage message)
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
                var index = component == Math.Floor(component) && component >= 0 && component < _synth.ComponentCount
                    ? (int)component
                    : throw new ArgumentOutOfRangeException("component",
                        $"component must be a whole number in [0, {_synth.ComponentCount - 1}]; got {component}.");
                _synth.Set(index, message.Frequency, message.Amplitude);
            }
            if (message.Gain is { } newGain)
            {
                _synth.Gain = newGain;
            }
        }
        catch (ArgumentOutOfRangeException ex)
        {
            Reply(new ProtocolError(ProtocolError.InvalidValue, FirstLine(ex.Message)));
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
        _wake.Writer.TryWrite(true);
    }

    private async Task WriteLoopAsync(CancellationToken abort)
    {
        var wake = _wake.Reader;
        while (!_closeSent)
        {
            while (wake.TryRead(out _))
            {
            }
            while (_outgoingText.TryDequeue(out var text))
            {
                await SendAsync(text, WebSocketMessageType.Text, abort);
                Interlocked.Decrement(ref _queuedReplies);
            }
            // A change that lands after the flag was taken but before the parameters were read is sent by this pass;
            // its own wake-up must not send the same version again.
            if (Interlocked.Exchange(ref _parametersChanged, 0) == 1 && _synth.Parameters is var parameters
                && parameters.Version != _parametersSent)
            {
                _parametersSent = parameters.Version;
                await SendAsync(_writerMessages.Parameters(parameters), WebSocketMessageType.Text, abort);
            }
            if (Interlocked.Exchange(ref _rewindFrom, -1) is var from and >= 0)
            {
                await ResendFromAsync(from, abort);
            }
            if (TryTakeCredit())
            {
                await PaceAsync(abort);
                _pace?.Start(System.Diagnostics.Stopwatch.GetTimestamp());
                await SendBlocksAsync(abort);
                continue;
            }
            if (_pace is { } pace)
            {
                pace.Hold(Interlocked.Exchange(ref _heldBlocks, 0));
                var due = pace.Take(System.Diagnostics.Stopwatch.GetTimestamp());
                if (due > 0)
                {
                    await SendGroupAsync(due, abort);
                    continue;
                }
                ArmClock(pace);
            }
            // No token: a cancellable wait allocates a waiter every time; abort completes the channel instead.
            if (!await wake.WaitToReadAsync())
            {
                return;
            }
        }
    }

    /// <summary>Asks the send clock to wake the writer when the schedule's next group is due (once per wait).</summary>
    private void ArmClock(PaceSchedule pace)
    {
        if (pace.Started && Interlocked.Exchange(ref _clockArmed, 1) == 0)
        {
            SendClock.Shared.WakeAt(pace.NextDue, _clockWake ??= () =>
            {
                Volatile.Write(ref _clockArmed, 0);
                _wake.Writer.TryWrite(true);
            });
        }
    }

    /// <summary>Sends the next <paramref name="count"/> blocks in one write (what the pace's clock says is due, or a rewind's).</summary>
    private async ValueTask SendGroupAsync(int count, CancellationToken abort)
    {
        var gathering = count > 1 ? _gathering : null;
        gathering?.Gather();
        try
        {
            for (var i = 0; i < count; i++)
            {
                await SendBlockAsync(abort);
            }
        }
        finally
        {
            if (gathering is not null)
            {
                await SendGatheredAsync(abort);
            }
        }
    }

    /// <summary>
    /// Goes back to block <paramref name="from"/> (or the oldest kept) and sends every block from there up to where the
    /// stream had got, rendered again with the parameters of now, in writes of at most <see cref="MaxGathered"/>; the
    /// stream then goes on where it was. They replace blocks already counted, so they take no credit and leave the
    /// pace's clock alone.
    /// </summary>
    private async ValueTask ResendFromAsync(long from, CancellationToken abort)
    {
        var end = _sequence;
        _sequence = _history!.RewindTo(from);
        while (_sequence < end)
        {
            await SendGroupAsync((int)Math.Min(MaxGathered, end - _sequence), abort);
        }
    }

    /// <summary>
    /// Holds a block back while this connection is ahead of MaxRealTimeFactor × real time (past a first burst): a
    /// client granting without end costs a bounded share of a core. A player, at 1×, never waits here.
    /// </summary>
    private ValueTask PaceAsync(CancellationToken abort)
    {
        var wait = PacingWait();
        return wait <= 0 ? ValueTask.CompletedTask : new ValueTask(Task.Delay(TimeSpan.FromSeconds(wait), abort));
    }

    /// <summary>Seconds the next block must wait to keep to MaxRealTimeFactor; 0 or less: none.</summary>
    private double PacingWait()
    {
        var factor = _options.MaxRealTimeFactor;
        if (factor <= 0)
        {
            return 0;
        }
        if (_pacingStart == 0)
        {
            _pacingStart = System.Diagnostics.Stopwatch.GetTimestamp();
        }
        var audioSeconds = (double)_sequence * _frame!.BlockSize / _sampleRate;
        var allowedAt = (audioSeconds - PacingBurstSeconds) / factor;
        return allowedAt - System.Diagnostics.Stopwatch.GetElapsedTime(_pacingStart).TotalSeconds;
    }

    /// <summary>
    /// Sends the block a credit was taken for and, while more are credited and due, the next ones with it, gathered
    /// into one write: a player that grants a batch of credits (stream-link.js) costs the server one send per batch,
    /// not one per block. At most <see cref="MaxGathered"/> blocks go at once, so the parameters and replies are not
    /// kept waiting behind a long grant.
    /// </summary>
    private async ValueTask SendBlocksAsync(CancellationToken abort)
    {
        if (_gathering is null || Volatile.Read(ref _credits) == 0 || PacingWait() > 0)
        {
            await SendBlockAsync(abort);
            return;
        }
        _gathering.Gather();
        try
        {
            await SendBlockAsync(abort);
            for (var sent = 1; sent < MaxGathered && PacingWait() <= 0 && TryTakeCredit(); sent++)
            {
                await SendBlockAsync(abort);
            }
        }
        finally
        {
            await SendGatheredAsync(abort);
        }
    }

    private async ValueTask SendGatheredAsync(CancellationToken abort)
    {
        await _sendLock.WaitAsync(abort);
        try
        {
            var limit = _sendLimit!;
            limit.CancelAfter(_options.SendTimeout);
            await _gathering!.SendGatheredAsync(limit.Token);
            limit.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (OperationCanceledException)
        {
            // As a cancelled send through the WebSocket layer would: a client that stopped reading is let go.
            _socket.Abort();
            throw;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendBlockAsync(CancellationToken abort)
    {
        var frame = _frame!;
        _history?.Keep(_sequence);
        _voice!.Read(frame.Samples);
        frame.Seal(_sequence++, _voice.ParametersVersion);
        if (_sequence > _sentEnd)
        {
            Volatile.Write(ref _sentEnd, _sequence);
        }
        if (await SendAsync(_seedMode ? frame.SamplesOnly : frame.WithHeader, WebSocketMessageType.Binary, abort))
        {
            _statistics.BlockSent();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken abort)
    {
        await _sendLock.WaitAsync(abort);
        try
        {
            if (_closeSent)
            {
                return false;
            }
            // A client that takes no message for SendTimeout has stopped reading: the cancelled send aborts its
            // connection, and the session ends (the timer is re-armed, not reallocated, per send).
            var limit = _sendLimit!;
            limit.CancelAfter(_options.SendTimeout);
            await _socket.SendAsync(data, type, endOfMessage: true, limit.Token);
            limit.CancelAfter(Timeout.InfiniteTimeSpan);
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; a larger one is a 1009 violation.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(byte[] buffer, CancellationToken abort)
    {
        var length = 0;
        while (true)
        {
            // A full buffer may still end with an empty last fragment: one byte more than the limit tells.
            var room = length < buffer.Length ? buffer.AsMemory(length) : _overLimit;
            var result = await _socket.ReceiveAsync(room, abort);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }
            if (length == buffer.Length && result.Count > 0)
            {
                throw new SessionClose(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {buffer.Length} bytes.");
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, length);
            }
        }
    }

    /// <summary>
    /// After closing, waits (briefly) for the client's close frame so it sees a clean close with our reason. Whatever
    /// arrives before it is discarded, however big: the rest of an oversized message has to be read too, or the abort
    /// that follows resets the connection and the client loses the close frame (and its reason) still in flight.
    /// </summary>
    private async Task DrainUntilCloseAsync(byte[] buffer, Task<(WebSocketMessageType Type, int Length)>? pending)
    {
        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        var expired = Task.Delay(Timeout.Infinite, timeout.Token);
        try
        {
            var receive = pending ?? DiscardMessageAsync(buffer);
            while (await Task.WhenAny(receive, expired) == receive && !await IsCloseAsync(receive))
            {
                receive = DiscardMessageAsync(buffer);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // Nothing more to read.
        }
    }

    private static async Task<bool> IsCloseAsync(Task<(WebSocketMessageType Type, int Length)> receive)
    {
        try
        {
            return (await receive).Type == WebSocketMessageType.Close;
        }
        catch (SessionClose)
        {
            return false; // a pending hello that turned out oversized: its rest is discarded next
        }
    }

    /// <summary>Reads the rest of the current message, or the next one, without keeping it; no size limit.</summary>
    private async Task<(WebSocketMessageType Type, int Length)> DiscardMessageAsync(byte[] buffer)
    {
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close || result.EndOfMessage)
            {
                return (result.MessageType, 0);
            }
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    private static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }
        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes - 3)
        {
            length--;
        }
        return string.Concat(reason.AsSpan(0, length), "...");
    }
}
