using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// <c>soak [--clients N] [--duration S] [--storm CYCLES]</c>: the server as users run it (its own process, product
/// limits), with N players taking blocks at real-time pace, and at the same time a client that never reads, one that
/// floods bad messages without reading, and a reconnect storm. Reports blocks per healthy client, gaps in their
/// sequences (there must be none), the server's RSS and threads before and after, and how long its stop takes.
/// </summary>
internal static class SoakCommand
{
    private const int SampleRate = 44_100, BlockSize = 4096, Cushion = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        int clients = 256, storm = 1000;
        double duration = 60;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--clients": clients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--duration": duration = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--storm": storm = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"soak: unknown argument {args[i]}"); return 2;
            }
        }
        await using var server = await ServerProcess.StartAsync(LoadOptions.Parse(["--product-limits", "--server-cpus", "all"]));
        var url = new Uri($"ws://127.0.0.1:{server.Port}/?token={server.Token}");
        var before = ProcessFigures(server.Pid);
        using var end = new CancellationTokenSource(TimeSpan.FromSeconds(duration));

        var players = Enumerable.Range(0, clients).Select(_ => PlayAsync(url, end.Token)).ToArray();
        var hostile = new[]
        {
            NeverReadAsync(url, end.Token),
            FloodAsync(url, end.Token),
            StormAsync(url, storm, end.Token),
        };
        // Near the end, the server says whom it still serves: the players, not the two that never read.
        await Task.Delay(TimeSpan.FromSeconds(duration * 0.9));
        var lateClients = (await server.StatsAsync()).Clients;
        var results = await Task.WhenAll(players);
        var hostileResults = await Task.WhenAll(hostile);
        var after = ProcessFigures(server.Pid);
        var clock = Stopwatch.StartNew();
        await server.StopAsync();
        var stopMs = clock.Elapsed.TotalMilliseconds;

        var blocks = results.Select(r => r.Blocks).Order().ToArray();
        Console.WriteLine($"soak: {clients} players × {duration:0} s at real-time pace (expected ~{duration * SampleRate / BlockSize:0} blocks each), " +
                          $"with {string.Join(", ", hostileResults)}");
        Console.WriteLine($"blocks per player: median {blocks[blocks.Length / 2]}, min {blocks[0]}, max {blocks[^1]}; " +
                          $"gaps or repeats in their sequences: {results.Sum(r => r.Gaps)}; players that failed: {results.Count(r => r.Error is not null)}" +
                          (results.FirstOrDefault(r => r.Error is not null) is { Error: { } first } ? $" (first: {first})" : ""));
        Console.WriteLine($"connections the server held at {duration * 0.9:0} s: {lateClients} ({clients} players; the storm's one at most)");
        Console.WriteLine($"server: RSS {before.RssKb / 1024.0:0.0} → {after.RssKb / 1024.0:0.0} MiB, threads {before.Threads} → {after.Threads}; stop took {stopMs:0} ms");
        return results.Sum(r => r.Gaps) == 0 && results.All(r => r.Error is null) ? 0 : 1;
    }

    private sealed record PlayerResult(long Blocks, long Gaps, string? Error);

    // A player: keeps Cushion blocks asked for, and "plays" one block every BlockSize / SampleRate seconds.
    private static async Task<PlayerResult> PlayAsync(Uri url, CancellationToken end)
    {
        long blocks = 0, gaps = 0, expected = 0, held = 0;
        try
        {
            using var socket = await HelloAsync(url, BlockSize, CancellationToken.None);
            await SendAsync(socket, $$"""{"op":"credit","blocks":{{Cushion}}}""");
            var receive = Task.Run(async () =>
            {
                var buffer = new byte[BlockSize * sizeof(float) + 64];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    var length = result.Count;
                    while (!result.EndOfMessage)
                    {
                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                        length += result.Count;
                    }
                    if (result.MessageType != WebSocketMessageType.Binary)
                    {
                        continue;
                    }
                    var sequence = (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer);
                    if (sequence != expected)
                    {
                        gaps++;
                    }
                    expected = sequence + 1;
                    blocks++;
                    Interlocked.Increment(ref held);
                }
            });
            using var pace = new PeriodicTimer(TimeSpan.FromSeconds((double)BlockSize / SampleRate));
            while (!end.IsCancellationRequested && await pace.WaitForNextTickAsync(end).AsTask().ContinueWith(t => t.Status == TaskStatus.RanToCompletion && t.Result))
            {
                if (Interlocked.Read(ref held) > 0)
                {
                    Interlocked.Decrement(ref held);
                    await SendAsync(socket, """{"op":"credit","blocks":1}""");
                }
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            await receive.WaitAsync(TimeSpan.FromSeconds(10));
            return new PlayerResult(blocks, gaps, null);
        }
        catch (Exception error) when (error is WebSocketException or TimeoutException or IOException)
        {
            return new PlayerResult(blocks, gaps, error.Message);
        }
    }

    private static async Task<string> NeverReadAsync(Uri url, CancellationToken end)
    {
        using var socket = await HelloAsync(url, 65_536, CancellationToken.None);
        for (var i = 0; i < 16; i++)
        {
            await SendAsync(socket, """{"op":"credit","blocks":64}""");
        }
        await Task.Delay(Timeout.Infinite, end).ContinueWith(_ => { });
        return $"a client that never read (its socket ended {socket.State})";
    }

    private static async Task<string> FloodAsync(Uri url, CancellationToken end)
    {
        using var socket = await HelloAsync(url, BlockSize, CancellationToken.None);
        var bad = Encoding.UTF8.GetBytes("""{"op":"dance"}""");
        var sent = 0;
        try
        {
            while (!end.IsCancellationRequested && sent < 1_000_000)
            {
                await socket.SendAsync(bad, WebSocketMessageType.Text, true, end);
                sent++;
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
        }
        return $"an error flooder that never read ({sent:N0} bad messages before its socket ended {socket.State})";
    }

    private static async Task<string> StormAsync(Uri url, int cycles, CancellationToken end)
    {
        var done = 0;
        for (; done < cycles && !end.IsCancellationRequested; done++)
        {
            using var socket = await HelloAsync(url, BlockSize, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "storm", CancellationToken.None);
        }
        return $"a reconnect storm of {done} cycles";
    }

    private static async Task<ClientWebSocket> HelloAsync(Uri url, int blockSize, CancellationToken cancel)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, cancel);
        await SendAsync(socket, $$"""{"op":"hello","version":1,"sampleRate":{{SampleRate}},"blockSize":{{blockSize}}}""");
        var buffer = new byte[4096];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancel);
        }
        while (!result.EndOfMessage);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static (long RssKb, int Threads) ProcessFigures(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string name) => long.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return (Field("VmRSS"), (int)Field("Threads"));
    }
}
