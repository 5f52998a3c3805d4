using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// <c>paced</c>: what listening costs the server. N clients take audio the way a player does, one block per block's
/// worth of time (a credit of 1 per period, after a ~30 ms start-up grant), for <c>--duration</c> s; the figure is the
/// server's CPU from /proc (100 % = one core), per client, beside the idle server's. With <c>--seed-mode</c> and
/// <c>--port/--pid</c> it drives the seed's server the same way (its "Get block" per 4096 samples at 44.1 kHz).
/// <c>--stress</c> loads every core meanwhile (CpuStress). <c>--pace G</c> listens as a paced player does: the start-up grant, then the server's clock.
/// </summary>
internal static class PacedCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clients = Option(args, "--clients", 1);
        var blockSize = Option(args, "--block-size", 256);
        var sampleRate = Option(args, "--sample-rate", 48_000);
        var duration = Option(args, "--duration", 20);
        var seedMode = args.Contains("--seed-mode");
        var port = Option(args, "--port", 0);
        var pid = Option(args, "--pid", 0);
        var token = OptionText(args, "--token") ?? "";
        var pace = Option(args, "--pace", 0);
        var warmUp = Option(args, "--warmup", 2);   // seconds of listening before the window (the JIT tiers up meanwhile)
        if (seedMode)
        {
            (blockSize, sampleRate) = (4096, 44_100);
        }

        using var stress = CpuStress.StartIf(args.Contains("--stress"), duration + 40);
        ServerProcess? server = null;
        if (port == 0)
        {
            var serverArgs = new List<string> { "--server-cpus", OptionText(args, "--server-cpus") ?? "all" };
            if (args.Contains("--alloc-trace"))
            {
                serverArgs.Add("--alloc-trace");
            }
            foreach (var assignment in args.Where((a, i) => i > 0 && args[i - 1] == "--server-env"))
            {
                serverArgs.AddRange(["--server-env", assignment]);
            }
            server = await ServerProcess.StartAsync(LoadOptions.Parse([.. serverArgs]));
            (port, pid, token) = (server.Port, server.Pid, server.Token);
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));   // past the start's compilation
            var idleBefore = server is null ? null : await server.StatsAsync();
            var idleClock = Stopwatch.StartNew();
            var idle = await CpuPercentAsync(pid, TimeSpan.FromSeconds(5));
            var idleAfter = server is null ? null : await server.StatsAsync();
            // What the server allocates with nobody listening (Kestrel's once-a-second housekeeping): a rate, not per block.
            var idleBytesPerSecond = idleBefore is null || idleAfter is null ? double.NaN
                : (idleAfter.Allocated - idleBefore.Allocated) / idleClock.Elapsed.TotalSeconds;
            var sockets = new List<ClientWebSocket>();
            for (var c = 0; c < clients; c++)
            {
                sockets.Add(await OpenAsync(port, token, sampleRate, blockSize, seedMode, pace));
            }
            using var stop = new CancellationTokenSource();
            var readers = sockets.Select(s => DrainAsync(s, stop.Token)).ToArray();
            var pacing = pace > 0 ? PrefillAsync(sockets, blockSize, sampleRate, stop.Token)
                : PaceAsync(sockets, blockSize, sampleRate, seedMode, Option(args, "--credit-batch", 1), TimeSpan.FromSeconds(duration + warmUp), stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(warmUp));
            var before = server is null ? null : await server.StatsAsync();
            var cpu = await CpuPercentAsync(pid, TimeSpan.FromSeconds(duration));
            var after = server is null ? null : await server.StatsAsync();
            var bytesPerSecond = before is null || after is null ? double.NaN
                : (after.Allocated - before.Allocated) / (double)duration;
            // Bytes the server allocated per block sent in the window (all threads of the process).
            var bytesPerBlock = before is null || after is null || after.Blocks == before.Blocks ? double.NaN
                : (double)(after.Allocated - before.Allocated) / (after.Blocks - before.Blocks);
            await stop.CancelAsync();
            await pacing;
            foreach (var socket in sockets)
            {
                socket.Abort();
            }
            var blocks = (await Task.WhenAll(readers)).Sum();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"command\":\"paced\",\"load\":\"{stress?.Description ?? "quiet"}\",\"seed_mode\":{(seedMode ? "true" : "false")},\"pace\":{pace},\"clients\":{clients},\"block_size\":{blockSize},\"sample_rate\":{sampleRate}," +
                $"\"duration_s\":{duration},\"idle_cpu_pct\":{idle:0.00},\"server_cpu_pct\":{cpu:0.00},\"per_client_cpu_pct\":{cpu / clients:0.000},\"bytes_per_block\":{Number(bytesPerBlock)},\"bytes_per_s\":{Number(bytesPerSecond)},\"idle_bytes_per_s\":{Number(idleBytesPerSecond)}}}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(seedMode ? "seed" : "SynthNotebook")} ({stress?.Description ?? "quiet"}): {clients} paced client(s), {blockSize}-sample blocks at {sampleRate} Hz: server {cpu:0.00} % of a core ({cpu / clients:0.000} % each; idle {idle:0.00} %), {blocks} blocks read"));
            return 0;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<ClientWebSocket> OpenAsync(int port, string token, int sampleRate, int blockSize, bool seedMode, int pace)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), CancellationToken.None);
        if (!seedMode)
        {
            var hello = $"{{\"op\":\"hello\",\"version\":1,\"token\":\"{token}\",\"sampleRate\":{sampleRate},\"blockSize\":{blockSize}{(pace > 0 ? $",\"pace\":{pace}" : "")}}}";
            await socket.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        return socket;
    }

    // A player's pace: a start-up grant of ~30 ms, then one block per block period (or `batch` blocks every `batch`
    // periods, as a player whose cushion has room for it asks), on a clock that does not drift.
    private static async Task PaceAsync(List<ClientWebSocket> sockets, int blockSize, int sampleRate, bool seedMode, int batch,
        TimeSpan length, CancellationToken stop)
    {
        var request = Encoding.UTF8.GetBytes(seedMode ? "Get block" : $"{{\"op\":\"credit\",\"blocks\":{batch}}}");
        var startUp = Math.Max(1, (int)Math.Ceiling(0.030 * sampleRate / blockSize));
        var first = seedMode ? request : Encoding.UTF8.GetBytes($"{{\"op\":\"credit\",\"blocks\":{startUp}}}");
        foreach (var socket in sockets)
        {
            await socket.SendAsync(first, WebSocketMessageType.Text, true, stop);
        }
        var period = (double)blockSize * (seedMode ? 1 : batch) / sampleRate;
        var clock = Stopwatch.StartNew();
        long sent = 1;
        while (clock.Elapsed < length && !stop.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds / period) + 1;
            for (; sent < due; sent++)
            {
                foreach (var socket in sockets)
                {
                    await socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            var next = TimeSpan.FromSeconds(sent * period) - clock.Elapsed;
            if (next > TimeSpan.Zero)
            {
                await Task.Delay(next, CancellationToken.None);
            }
        }
    }

    // A paced player's part (hello "pace"): the start-up grant, then nothing; the server's clock sends the rest.
    private static async Task PrefillAsync(List<ClientWebSocket> sockets, int blockSize, int sampleRate, CancellationToken stop)
    {
        var startUp = Math.Max(1, (int)Math.Ceiling(0.030 * sampleRate / blockSize));
        var first = Encoding.UTF8.GetBytes($"{{\"op\":\"credit\",\"blocks\":{startUp}}}");
        foreach (var socket in sockets)
        {
            await socket.SendAsync(first, WebSocketMessageType.Text, true, stop);
        }
    }

    private static async Task<long> DrainAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var buffer = new byte[1 << 20];
        long blocks = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (result.MessageType == WebSocketMessageType.Binary && result.EndOfMessage)
                {
                    blocks++;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        return blocks;
    }

    private static async Task<double> CpuPercentAsync(int pid, TimeSpan window)
    {
        var before = LoadGenerator.ProcessCpuSeconds(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        return (LoadGenerator.ProcessCpuSeconds(pid) - before) / clock.Elapsed.TotalSeconds * 100;
    }

    private static string Number(double value) => double.IsNaN(value) ? "null" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback)
        => OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
