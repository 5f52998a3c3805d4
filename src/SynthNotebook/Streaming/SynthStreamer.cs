using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using SynthNotebook.Processing;

namespace SynthNotebook.Streaming;

/// <summary>
/// A synth connection: its own source of the server's patch (the synth's voice unless the user set another), sent a
/// block per credit, or on the server's clock (hello "pace"),
/// and, with a history (hello "rewind"), sent again from a block the client names. Only the writer renders and sends;
/// the reader's ops reach it through counters it takes at its next turn (docs/protocol.md).
/// </summary>
internal sealed class SynthStreamer : Streamer
{
    private const double PacingBurstSeconds = 10; // audio a connection may take at once before pacing applies
    private const int MaxGathered = 16;           // blocks in one write: replies and parameters wait behind no more

    private readonly SessionSocket _socket;
    private readonly StreamStatistics _statistics;
    private readonly SynthServerOptions _options;
    private readonly Action _wakeWriter;
    private readonly SharedState _shared;
    private readonly PatchSwitch _source;
    private readonly ListenerClock _clock = new();
    private readonly Action<SourceFault> _faulted;
    private readonly ServerMessages _messages = new();   // the writer's
    private readonly BlockFrame _frame;
    private readonly int _sampleRate;
    private readonly bool _seedMode;
    private readonly PaceSchedule? _pace;       // a paced connection's clock: blocks without credits
    private readonly RewindHistory? _history;   // the source's states, to render sent blocks again
    private readonly Action _clockWake;
    private readonly Action _pooledClockWake;
    private int _credits;
    private long _sequence;
    private long _sentEnd;             // blocks ever sent (a rewind lowers _sequence while it sends again)
    private long _rewindFrom = -1;     // the oldest block a rewind asked for that the writer has not yet gone back to
    private long _pacingStart;         // Stopwatch ticks at the first block, for MaxRealTimeFactor
    private int _clockArmed;
    private int _heldBlocks;           // hold requests the writer has not yet applied to the schedule

    public SynthStreamer(SessionSocket socket, StreamStatistics statistics, SynthServerOptions options, SharedState shared,
        StreamRequest request, Action wakeWriter, Action<SourceFault> faulted)
    {
        _socket = socket;
        _statistics = statistics;
        _options = options;
        _wakeWriter = wakeWriter;
        _sampleRate = request.SampleRate;
        _seedMode = request.SeedMode;
        _shared = shared;
        _faulted = faulted;
        _source = new PatchSwitch(shared.Sources, request.SampleRate, _clock);
        _frame = new BlockFrame(request.BlockSize);
        if (request.PaceGroup > 0)
        {
            _pace = new PaceSchedule(request.PaceGroup, request.BlockSize, request.SampleRate, Stopwatch.Frequency);
        }
        if (request.Rewind)
        {
            _history = RewindHistory.For(_source, request.BlockSize, request.SampleRate);
        }
        _clockWake = () =>
        {
            Volatile.Write(ref _clockArmed, 0);
            _wakeWriter();
        };
        // A user's source must not run on the send clock's thread, where it would hold up every paced connection.
        _pooledClockWake = () => ThreadPool.UnsafeQueueUserWorkItem(static wake => wake(), _clockWake, preferLocal: false);
        if (_seedMode)
        {
            _credits = 1; // the seed's first message asked for a block
        }
    }

    public override int PaceGroup => _pace?.Group ?? 0;

    public override int RewindBlocks => _history?.Blocks ?? 0;

    public override ProtocolError? Request()
    {
        GrantCredits(1);
        return null;
    }

    public override ProtocolError? Credit(double? blocks)
    {
        var max = _options.MaxCredits;
        if (!IsWholeIn(blocks, 1, max, out var whole))
        {
            return new ProtocolError(ProtocolError.InvalidValue,
                $"credit needs \"blocks\": a whole number in [1, {max}]; got {blocks?.ToString() ?? "nothing"}.");
        }
        return GrantCredits((int)whole) ? null : new ProtocolError(ProtocolError.TooManyCredits,
            $"At most {max} blocks may be granted and not yet sent; the excess was ignored.");
    }

    public override ProtocolError? Hold(double? blocks)
    {
        var max = _options.MaxCredits;
        if (_pace is null)
        {
            return base.Hold(blocks);
        }
        if (!IsWholeIn(blocks, 1, max, out var whole))
        {
            return new ProtocolError(ProtocolError.InvalidValue,
                $"hold needs \"blocks\": a whole number in [1, {max}]; got {blocks?.ToString() ?? "nothing"}.");
        }
        // The writer reads the schedule too: the change reaches it as a pending hold it applies itself.
        Interlocked.Add(ref _heldBlocks, (int)whole);
        return null;
    }

    public override ProtocolError? Rewind(double? from)
    {
        var sent = Volatile.Read(ref _sentEnd);
        if (_history is null)
        {
            return base.Rewind(from);
        }
        if (!IsWholeIn(from, 0, sent, out var whole))
        {
            return new ProtocolError(ProtocolError.InvalidValue,
                $"rewind needs \"from\": the sequence number of a block already sent, in [0, {sent}]; got {from?.ToString() ?? "nothing"}.");
        }
        // The writer owns the voice: it takes the oldest block asked for at its next turn.
        long pending, wanted;
        do
        {
            pending = Volatile.Read(ref _rewindFrom);
            wanted = pending < 0 ? whole : Math.Min(pending, whole);
        }
        while (Interlocked.CompareExchange(ref _rewindFrom, wanted, pending) != pending);
        _wakeWriter();
        return null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> SendDueAsync(CancellationToken abort)
    {
        if (Interlocked.Exchange(ref _rewindFrom, -1) is var from and >= 0)
        {
            await ResendFromAsync(from, abort);
        }
        if (TryTakeCredit())
        {
            await PaceAsync(abort);
            _pace?.Start(Stopwatch.GetTimestamp());
            await SendBlocksAsync(abort);
            return true;
        }
        if (_pace is not { } pace)
        {
            return false;
        }
        pace.Hold(Interlocked.Exchange(ref _heldBlocks, 0));
        var due = pace.Take(Stopwatch.GetTimestamp());
        if (due > 0)
        {
            await SendGroupAsync(due, abort);
            return true;
        }
        ArmClock(pace);
        return false;
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
        _wakeWriter();
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

    /// <summary>Asks the send clock to wake the writer when the schedule's next group is due (once per wait).</summary>
    private void ArmClock(PaceSchedule pace)
    {
        if (pace.Started && Interlocked.Exchange(ref _clockArmed, 1) == 0)
        {
            SendClock.Shared.WakeAt(pace.NextDue, _shared.Sources.Current.Value.IsSynthVoice ? _clockWake : _pooledClockWake);
        }
    }

    /// <summary>Sends the next <paramref name="count"/> blocks in one write (what the pace's clock says is due, or a rewind's).</summary>
    private async ValueTask SendGroupAsync(int count, CancellationToken abort)
    {
        var gathering = count > 1 ? _socket.Gathering : null;
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
                await _socket.SendGatheredAsync(abort);
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
        if (_sequence == end && from < end)
        {
            // The source playing keeps no checkpoints: nothing can be rendered again, and the client is told so.
            await _socket.SendAsync(_messages.RewindSkipped(from, _source.Name), WebSocketMessageType.Text, abort);
            return;
        }
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
            _pacingStart = Stopwatch.GetTimestamp();
        }
        var audioSeconds = (double)_sequence * _frame.BlockSize / _sampleRate;
        var allowedAt = (audioSeconds - PacingBurstSeconds) / factor;
        return allowedAt - Stopwatch.GetElapsedTime(_pacingStart).TotalSeconds;
    }

    /// <summary>
    /// Sends the block a credit was taken for and, while more are credited and due, the next ones with it, gathered
    /// into one write: a player that grants a batch of credits (stream-link.js) costs the server one send per batch,
    /// not one per block. At most <see cref="MaxGathered"/> blocks go at once.
    /// </summary>
    private async ValueTask SendBlocksAsync(CancellationToken abort)
    {
        var gathering = _socket.Gathering;
        if (gathering is null || Volatile.Read(ref _credits) == 0 || PacingWait() > 0)
        {
            await SendBlockAsync(abort);
            return;
        }
        gathering.Gather();
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
            await _socket.SendGatheredAsync(abort);
        }
    }

    /// <summary>The name of the patch this connection plays now.</summary>
    public string SourceName => _source.Name;

    public override ListenerClock Clock => _clock;

    private void ReportFault()
    {
        if (_source.TakeFault() is { } fault)
        {
            _faulted(fault);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendBlockAsync(CancellationToken abort)
    {
        _history?.Keep(_sequence);
        var version = _shared.Version;   // read before rendering: a change that lands meanwhile is not claimed
        _clock.BlockStart = _sequence * _frame.BlockSize;
        _source.Read(_frame.Samples);
        ReportFault();
        _frame.Seal(_sequence++, version);
        if (_sequence > _sentEnd)
        {
            Volatile.Write(ref _sentEnd, _sequence);
        }
        if (await _socket.SendAsync(_seedMode ? _frame.SamplesOnly : _frame.WithHeader, WebSocketMessageType.Binary, abort))
        {
            _statistics.BlockSent();
        }
    }
}
