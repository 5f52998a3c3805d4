using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// Streams a <see cref="Synth"/> to WebSocket clients from Kestrel, on background threads.
/// <code>await using var server = await SynthServer.StartAsync(synth);   // ws://127.0.0.1:8889/?token=…</code>
/// Starting a server on a port this process already serves replaces the old server, and every server of a process
/// shares its token unless given one, so open players reconnect and re-running a notebook cell just works. Stopping is
/// idempotent, bounded whatever the clients do, and leaves no thread, socket or port behind.
/// </summary>
public sealed partial class SynthServer : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(3);

    private readonly WebApplication _app;
    private readonly SynthServerOptions _options;
    private readonly OriginPolicy _origins;
    private readonly ConcurrentDictionary<StreamSession, byte> _sessions = new();
    private readonly SharedState _shared;
    private readonly Lock _sourceLock = new();
    private readonly Action _onPlayed;
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _closing = new();   // ends the pages' feeds when stopping begins
    private readonly Lazy<Task> _stop;
    private volatile bool _stopping;

    private SynthServer(Synth synth, SynthServerOptions options, AccessToken token, WebApplication app)
    {
        Synth = synth;
        _shared = new SharedState(synth);
        _options = options;
        Token = token;
        _app = app;
        _origins = new OriginPolicy(options.AllowedOrigins);
        _stop = new Lazy<Task>(StopCoreAsync);
        _onPlayed = BroadcastChange;
        synth.ParametersChanged += OnParametersChanged;
    }

    /// <summary>The synth the players' sliders move; what plays is <see cref="Source"/>, this synth's voices at first.</summary>
    public Synth Synth { get; }

    /// <summary>
    /// What every player hears, each through its own source made from the patch at its own rate. Set it from a cell
    /// while audio plays: every stream cross-fades to it over 10 ms, without a click or a gap, and players that rewind
    /// hear it after a round trip. Setting it makes one source and renders a block first, so a recipe that fails at
    /// once fails here, in the cell; one that fails later is replaced by silence and reported (<see cref="SourceFailed"/>).
    /// </summary>
    /// <example><code>server.Source = Patch.PerSample(t =&gt; 0.3 * Math.Sin(2 * Math.PI * 440 * t));
    /// server.Source = server.Synth;   // back to the sliders</code></example>
    /// <exception cref="ArgumentException">The patch failed its first block; the message says how, and the old one plays on.</exception>
    public Patch Source
    {
        get => _shared.Sources.Value;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            TryFirstBlock(value);
            lock (_sourceLock)
            {
                var old = _shared.Sources.Value;
                _shared.Sources.Swap(value);
                if (old.Instrument != value.Instrument)
                {
                    if (old.Instrument is { } oldInstrument)
                    {
                        oldInstrument.Played -= _onPlayed;
                    }
                    if (value.Instrument is { } instrument)
                    {
                        instrument.Played += _onPlayed;
                    }
                }
            }
            LastSourceFault = null;
            BroadcastChange();
        }
    }

    /// <summary>The newest failure of a source a listener played, since <see cref="Source"/> was last set; null if none.</summary>
    public SourceFault? LastSourceFault { get; private set; }

    /// <summary>
    /// Raised when a listener's source throws (it then plays silence), once per failure and connection, on a pool thread;
    /// the players show it in their status line.
    /// </summary>
    public event Action<SourceFault>? SourceFailed;

    /// <summary>The port the server listens on (the one the system chose when 0 was asked for).</summary>
    public int Port { get; private set; }

    /// <summary>Why the server is not on the port it was started for (the default one was taken), or null.</summary>
    public string? PortNote { get; private set; }

    /// <summary>The secret every client must present.</summary>
    public AccessToken Token { get; }

    /// <summary>The address the server listens on.</summary>
    public IPAddress Address => _options.Address;

    /// <summary>The server's page, with the token: open it in a browser.</summary>
    public Uri PageUrl => new($"http://{HostForUrl}:{Port}/?token={Token.Value}");

    /// <summary>The WebSocket endpoint, with the token in the query string.</summary>
    public Uri WebSocketUrl => new($"ws://{HostForUrl}:{Port}/?token={Token.Value}");

    /// <summary>Live counters: clients connected, blocks sent.</summary>
    public StreamStatistics Statistics { get; } = new();

    /// <summary>What the page at <see cref="PageUrl"/> shows: its title, the player, and what a program appends.</summary>
    public ServerPage Page { get; } = new();

    /// <summary>How the page at <see cref="PageUrl"/> plays (block size, cushion, sample rate).</summary>
    public PlayerOptions PageOptions { get; set; } = new();

    /// <summary>
    /// What duplex connections (a microphone) get done to their audio. Set it from any thread while audio runs: each
    /// stream cross-fades to the new chain over 10 ms, without a click or a gap.
    /// </summary>
    public AudioChain Chain
    {
        get => _shared.Chain.Value;
        set => _shared.Chain.Value = value;
    }

    /// <summary>
    /// The microphone as a patch every listener can hear, each at its own rate, <see cref="LiveInput.DefaultCushion"/>
    /// behind the newest sample: what the newest microphone connection (<see cref="Microphone"/>, or the page at
    /// <see cref="DuplexPageUrl"/>) sends, as it came, before <see cref="Chain"/>. Silence while none sends.
    /// </summary>
    /// <example><code>server.Source = Patch.Mix(server.Synth, server.MicrophoneInput.Through(AudioChain.PassThrough.LowPass(2000)));</code></example>
    public Patch MicrophoneInput => _shared.Microphone.Patch;

    /// <summary>The microphone input itself: whether it is fed, its underruns, and patches of it with another cushion.</summary>
    public LiveInput MicrophoneSignal => _shared.Microphone;

    /// <summary>The microphone player of this server (its widget in a notebook; its own page at <see cref="DuplexPageUrl"/>).</summary>
    public DuplexPlayer Microphone => new(this);

    /// <summary>This server's own microphone page: where the microphone works when a notebook's webview may not use it.</summary>
    public Uri DuplexPageUrl => new($"http://{HostForUrl}:{Port}{ServerPageEndpoints.DuplexPath}?token={Token.Value}");

    /// <summary>True until <see cref="StopAsync"/> has been called.</summary>
    public bool IsRunning => !_stop.IsValueCreated;

    private string HostForUrl => _options.Address.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{_options.Address}]" : _options.Address.ToString();


    /// <summary>Closes every client (1001, going away), stops listening and frees the port. Idempotent.</summary>
    public Task StopAsync() => _stop.Value;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <inheritdoc />
    public void Dispose() => Task.Run(StopAsync).GetAwaiter().GetResult();


    private async Task HandleAsync(HttpContext context)
    {
        if (await ServerPageEndpoints.TryServeAsync(context, this, _closing.Token))
        {
            return;
        }
        if (context.Request.Path != "/" || !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (_stopping)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("The server is stopping.\n");
            return;
        }
        string? origin = context.Request.Headers.Origin;
        if (!_origins.Allows(origin))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync(
                $"Origin '{origin}' is not allowed. Add it to SynthServerOptions.AllowedOrigins to let that page connect.\n");
            return;
        }

        if (_sessions.Count >= _options.MaxConnections)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync(
                $"The server has {_options.MaxConnections} connections, its limit (SynthServerOptions.MaxConnections); close one, or raise it.\n");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new StreamSession(socket, _shared, _options, Token, context.Request.Query["token"], Statistics,
            OnSourceFault, context.Features.Get<GatheringStream>());
        _sessions[session] = 0;
        Statistics.Connected();
        try
        {
            await session.RunAsync(_abort.Token);
        }
        finally
        {
            _sessions.TryRemove(session, out _);
            Statistics.Disconnected();
        }
    }

    private void OnParametersChanged(SynthParameters parameters) => BroadcastChange();

    /// <summary>Counts a change now in place (parameters, patch, notes) and tells every connection.</summary>
    private void BroadcastChange()
    {
        _shared.Changed();
        foreach (var session in _sessions.Keys)
        {
            session.Changed();
        }
    }

    /// <summary>Renders a block of a new source of <paramref name="patch"/>, so a recipe that fails at once fails in the cell.</summary>
    private void TryFirstBlock(Patch patch)
    {
        var sampleRate = PageOptions.SampleRate ?? 48_000;
        try
        {
            Span<float> block = stackalloc float[256];
            patch.Create(sampleRate).Read(block);
        }
        catch (Exception error)
        {
            throw new ArgumentException(
                $"The patch '{patch.Name}' failed its first block at {sampleRate} Hz: {error.GetType().Name}: {error.Message} The source playing is unchanged.",
                nameof(Source), error);
        }
    }

    // On the writer of the connection whose source failed: the user's handler runs on the pool, not on the audio path.
    private void OnSourceFault(SourceFault fault)
    {
        LastSourceFault = fault;
        if (SourceFailed is { } handlers)
        {
            ThreadPool.QueueUserWorkItem(_ => handlers(fault));
        }
    }

    // Bounded whatever the clients do: a client that stopped reading is aborted within a second (StreamSession).
    private async Task StopCoreAsync()
    {
        _stopping = true;
        await _closing.CancelAsync();
        Synth.ParametersChanged -= OnParametersChanged;
        lock (_sourceLock)
        {
            if (_shared.Sources.Value.Instrument is { } instrument)
            {
                instrument.Played -= _onPlayed;
            }
        }
        RunningByPort.TryRemove(new KeyValuePair<int, SynthServer>(Port, this));
        await Task.WhenAll(_sessions.Keys.Select(s => s.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "The server is stopping.")));
        using (var graceful = new CancellationTokenSource(GracefulStop))
        {
            try
            {
                await _app.StopAsync(graceful.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        await _abort.CancelAsync();
        await _app.DisposeAsync();
        _abort.Dispose();
        _closing.Dispose();
    }
}
