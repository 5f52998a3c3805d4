using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>Starting servers, and the ones this process runs (one per port: a new start on a port replaces the old).</summary>
public sealed partial class SynthServer
{
    private static readonly ConcurrentDictionary<int, SynthServer> RunningByPort = new();
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static (int Configured, int Bound)? _lastDefaultStart;
    private static long _starts;
    private long _startNumber;   // this process's servers counted in the order they started listening

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
        server._startNumber = Interlocked.Increment(ref _starts);
        RunningByPort[server.Port] = server;
        return server;
    }

    /// <summary>The servers this process is running now.</summary>
    public static IReadOnlyCollection<SynthServer> Running => [.. RunningByPort.Values];

    /// <summary>The running server that started last of those that <paramref name="match"/>, or null (a notebook's player goes to it).</summary>
    internal static SynthServer? Newest(Func<SynthServer, bool> match) => Running.Where(match).MaxBy(server => server._startNumber);

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
}
