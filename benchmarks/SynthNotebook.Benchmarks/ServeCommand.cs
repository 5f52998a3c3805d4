using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// <c>serve</c>: a <see cref="SynthServer"/> in its own process, so that the load generator can pin it to a core and
/// read its CPU time from /proc. Talks to its parent through stdout (one line per event) and stdin (commands):
/// <list type="bullet">
/// <item>out <c>listening port=P token=T pid=PID components=C</c> once it listens;</item>
/// <item>in <c>stats</c> → out <c>stats {json}</c>: bytes allocated by the whole process, blocks sent, GC counts;</item>
/// <item>out <c>aged count=N</c> (with <c>--aged</c>) each time a new connection's voice has been advanced;</item>
/// <item>in <c>quit</c> or end of stdin (or SIGTERM/SIGINT) → stops, prints <c>final {json}</c> and exits.</item>
/// </list>
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = 0;
        var components = 5;
        var aged = false;
        string? token = null;
        var allocationTrace = false;
        var productLimits = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port": port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--components": components = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--aged": aged = true; break;
                case "--token": token = args[++i]; break;
                case "--alloc-trace": allocationTrace = true; break;
                case "--product-limits": productLimits = true; break;
                default: Console.Error.WriteLine($"serve: unknown argument {args[i]}"); return 2;
            }
        }

        using var allocations = allocationTrace ? new AllocationSampler() : null;
        var synth = new Synth(components);
        await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions
        {
            Port = port,
            Token = token,
            // Raw throughput unless asked for the server as users run it (pacing greedy clients; the soak).
            MaxRealTimeFactor = productLimits ? new SynthServerOptions().MaxRealTimeFactor : 0,
        });
        var startAllocated = GC.GetTotalAllocatedBytes(precise: true);
        Console.WriteLine($"listening port={server.Port} token={server.Token.Value} pid={Environment.ProcessId} components={components}");

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
        using var stopAging = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var commands = new Thread(() => ReadCommands(server, stop, stopAging)) { IsBackground = true, Name = "serve stdin" };
        commands.Start();
        var ager = aged ? Task.Run(() => AgeVoicesAsync(server, stopAging.Token)) : Task.CompletedTask;

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await ager;
        var final = Stats(server, Volatile.Read(ref _commandThreadBytes));
        await server.StopAsync();
        Console.WriteLine("final " + final);
        var blocks = server.Statistics.BlocksSent;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - startAllocated;
        Console.Error.WriteLine($"serve: {blocks:N0} blocks sent; {allocated:N0} bytes allocated since listening " +
            $"({(blocks > 0 ? (double)allocated / blocks : 0):0.0} per block, connection setup included)");
        allocations?.Report();
        return 0;
    }

    /// <summary>Bytes allocated by the command thread itself (reading commands, formatting stats), left out of the figures.</summary>
    private static long _commandThreadBytes;

    private static void ReadCommands(SynthServer server, CancellationTokenSource stop, CancellationTokenSource stopAging)
    {
        while (Console.In.ReadLine() is { } line)
        {
            switch (line.Trim())
            {
                case "stats":
                    Console.WriteLine("stats " + Stats(server, GC.GetAllocatedBytesForCurrentThread()));
                    break;
                case "stop-aging":
                    stopAging.Cancel();
                    break;
                case "quit":
                    Volatile.Write(ref _commandThreadBytes, GC.GetAllocatedBytesForCurrentThread());
                    stop.Cancel();
                    return;
            }
            Volatile.Write(ref _commandThreadBytes, GC.GetAllocatedBytesForCurrentThread());
        }
        Volatile.Write(ref _commandThreadBytes, GC.GetAllocatedBytesForCurrentThread());
        stop.Cancel(); // the parent went away
    }

    /// <summary>
    /// Cumulative counters. <paramref name="excludedBytes"/> (what the command thread has allocated) is subtracted, so
    /// that the difference of two stats is what the server itself allocated in between.
    /// </summary>
    private static string Stats(SynthServer server, long excludedBytes)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - excludedBytes;
        var blocks = server.Statistics.BlocksSent;
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        return JsonSerializer.Serialize(new ServerStats(allocated, blocks, gen0, gen1, gen2, cpu,
            GC.GetTotalPauseDuration().TotalMilliseconds, server.Statistics.Clients), ServerStatsJson.Default.ServerStats);
    }

    /// <summary>
    /// Benchmark aid for <c>--aged</c>: advances every new connection's voice by 10^7 blocks as soon as it exists.
    /// The voice is private to the session, so it is reached by reflection. This is race-free only because the load
    /// generator sends no credit (nothing is rendered) until it has read the matching <c>aged count=N</c> line.
    /// </summary>
    private static async Task AgeVoicesAsync(SynthServer server, CancellationToken stop)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var sessionsField = typeof(SynthServer).GetField("_sessions", Private)
            ?? throw new MissingFieldException(nameof(SynthServer), "_sessions");
        var voiceField = typeof(StreamSession).GetField("_voice", Private)
            ?? throw new MissingFieldException(nameof(StreamSession), "_voice");
        var sessions = (ConcurrentDictionary<StreamSession, byte>)sessionsField.GetValue(server)!;
        var done = new HashSet<StreamSession>();
        while (!stop.IsCancellationRequested)
        {
            foreach (var session in sessions.Keys)
            {
                if (!done.Contains(session) && voiceField.GetValue(session) is OscillatorBank voice)
                {
                    voice.Skip(GeneratorBenchmarks.AgedBlocks * server.Synth.BlockSize);
                    done.Add(session);
                    Console.WriteLine($"aged count={done.Count} position={voice.Position}");
                }
            }
            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}

/// <summary>What <c>serve</c> reports on <c>stats</c>: cumulative since the process started.</summary>
internal sealed record ServerStats(long Allocated, long Blocks, int Gen0, int Gen1, int Gen2, double CpuSeconds,
    double GcPauseMs, int Clients);

[System.Text.Json.Serialization.JsonSerializable(typeof(ServerStats))]
internal sealed partial class ServerStatsJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// <c>serve --alloc-trace</c>: samples the runtime's GC AllocationTick events (one per ~100 KB allocated) and prints,
/// at exit, which types were being allocated. Async state machine boxes carry the method's name in their type name.
/// </summary>
internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();
    private volatile bool _ready;

    public AllocationSampler() => _ready = true;

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (!_ready || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
        {
            return;
        }
        var index = e.PayloadNames!.IndexOf("TypeName");
        var amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
        var type = index >= 0 ? e.Payload[index] as string ?? "?" : "?";
        var amount = amountIndex >= 0 ? Convert.ToInt64(e.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 0;
        _bytesByType.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    public void Report()
    {
        Console.Error.WriteLine("serve: allocation samples (GCAllocationTick, ~100 KB each), by type:");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(25))
        {
            Console.Error.WriteLine($"  {bytes,14:N0}  {type}");
        }
    }
}
