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
public sealed class SynthServer : IAsyncDisposable, IDisposable
{
    private static readonly ConcurrentDictionary<int, SynthServer> RunningByPort = new();
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(3);
    private static (int Configured, int Bound)? _lastDefaultStart;

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

    /// <summary>
    /// Starts a server on 127.0.0.1:<paramref name="port"/> and returns once it listens. Without a port it takes the
    /// default one (<see cref="SynthServerOptions.Port"/>), or any free port when another program holds that.
    /// </summary>
    public static SynthServer Start(Synth synth, int? port = null)
        => Start(synth, new SynthServerOptions { Port = port });

    /// <summary>Starts a server with <paramref name="options"/> and returns once it listens.</summary>
    public static SynthServer Start(Synth synth, SynthServerOptions options)
        // Off the caller's thread: a notebook kernel may have a synchronization context that must not be blocked on.
        => Task.Run(() => StartAsync(synth, options)).GetAwaiter().GetResult();

    /// <summary>Starts a server and returns once it listens; replaces a server of this process on the same port.</summary>
    /// <exception cref="PortUnavailableException">The port asked for is held by another program.</exception>
    public static async Task<SynthServer> StartAsync(Synth synth, SynthServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(synth);
        options ??= new SynthServerOptions();
        if (options.Port is { } asked)
        {
            ParameterGuard.InRange(asked, 0, IPEndPoint.MaxPort, nameof(options.Port));
        }
        ParameterGuard.InRange(options.MaxCredits, 1, 1024, nameof(options.MaxCredits));
        ParameterGuard.InRange(options.MaxMessageBytes, 1024, 16 * 1024 * 1024, nameof(options.MaxMessageBytes));
        ParameterGuard.InRange(options.SendTimeout.TotalSeconds, 0.1, 3600, " s", nameof(options.SendTimeout));
        ParameterGuard.InRange(options.MaxConnections, 1, 65_536, nameof(options.MaxConnections));
        ParameterGuard.InRange(options.MaxRealTimeFactor, 0, 1e6, "×", nameof(options.MaxRealTimeFactor));
        // Without a token of its own a server uses the process's: one restarted in the same kernel keeps it, so the
        // players that were open reconnect by themselves.
        var token = options.Token is null ? AccessToken.ForThisProcess : new AccessToken(options.Token);

        await StartLock.WaitAsync(cancellationToken);
        try
        {
            if (options.Port is { } port)
            {
                return await ListenAsync(synth, options, token, port, cancellationToken)
                    ?? throw new PortUnavailableException(options.Address, port);
            }
            // The default: the port the last default start took (a re-run cell keeps its players' address), else the
            // configured default; a port another program holds gives way to any free one, and the card says so.
            var configured = SynthServerOptions.DefaultPortForThisProcess;
            var preferred = _lastDefaultStart is { } last && last.Configured == configured ? last.Bound : configured;
            var server = await ListenAsync(synth, options, token, preferred, cancellationToken);
            if (server is null)
            {
                server = await ListenAsync(synth, options, token, 0, cancellationToken)
                    ?? throw new PortUnavailableException(options.Address, 0);
                server.PortNote = $"port {preferred} is taken by another program, so this server took {server.Port}";
            }
            _lastDefaultStart = (configured, server.Port);
            return server;
        }
        finally
        {
            StartLock.Release();
        }
    }

    // Null when another program holds the port; a server of this process there is replaced.
    private static async Task<SynthServer?> ListenAsync(Synth synth, SynthServerOptions options, AccessToken token, int port,
        CancellationToken cancellationToken)
    {
        if (port != 0 && RunningByPort.TryGetValue(port, out var previous))
        {
            await previous.StopAsync();
        }
        var server = new SynthServer(synth, options, token, BuildApp(options, port));
        server._app.Run(server.HandleAsync);
        try
        {
            await server._app.StartAsync(cancellationToken);
        }
        catch (Exception error) when (LocalWebHost.IsAddressInUse(error))
        {
            await server.StopAsync();
            return null;
        }
        catch (IOException error)
        {
            await server.StopAsync();
            throw new InvalidOperationException($"Cannot listen on {options.Address}:{port}: {error.Message}", error);
        }
        server.Port = LocalWebHost.BoundPort(server._app);
        RunningByPort[server.Port] = server;
        return server;
    }

    /// <summary>Closes every client (1001, going away), stops listening and frees the port. Idempotent.</summary>
    public Task StopAsync() => _stop.Value;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <inheritdoc />
    public void Dispose() => Task.Run(StopAsync).GetAwaiter().GetResult();

    /// <summary>The servers this process is running now.</summary>
    public static IReadOnlyCollection<SynthServer> Running => [.. RunningByPort.Values];

    /// <summary>Stops every server this process started (used when the hosting process or extension goes away).</summary>
    public static async Task StopAllAsync()
    {
        foreach (var server in RunningByPort.Values)
        {
            await server.StopAsync();
        }
    }

    private static WebApplication BuildApp(SynthServerOptions options, int port)
    {
        EnsureThreadPoolHeadroom();
        // A listener's block is a credit in and a block out, microseconds of work: on the I/O thread, without the
        // thread pool's wake-ups, one listener costs about half (benchmarks/README.md, "What listening costs").
        var app = LocalWebHost.Build(options.Address, port, GracefulStop, inlineIo: true);
        CloseReasonUpgrade.Use(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        return app;
    }

    /// <summary>
    /// Audio must not wait for the host's thread pool. A notebook kernel (or a test host) may keep pool threads
    /// blocked, and a starved pool adds a thread only about every half second: measured in Chromium, a 0.6 s hole in
    /// the stream. Below its minimum the pool starts threads at once, so the minimum is raised (never lowered).
    /// </summary>
    private static void EnsureThreadPoolHeadroom()
    {
        // 8 per core starved a one-core server of throughput (21.4k vs 25.8k blocks/s at 16 × 10); 4 keeps the gap away.
        const int WorkersPerCore = 4;
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = Environment.ProcessorCount * WorkersPerCore;
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, io);
        }
    }

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
