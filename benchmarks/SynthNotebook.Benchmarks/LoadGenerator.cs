using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// <c>load</c>: the WebSocket load and latency client. It measures what /work/shared/anchors/seed/ws_load.js measures,
/// the same way, so that its figures can be set next to the seed's:
/// <list type="bullet">
/// <item>N connections are opened at once; nothing is sent until all of them are open (and, in protocol v1, have
/// been welcomed).</item>
/// <item>Each connection sends K requests back to back, then one new request per reply, from the reply's handler:
/// K requests always outstanding, no pacing. A request is a credit of one block (<c>{"op":"credit","blocks":1}</c>)
/// or, with <c>--seed-mode</c>, the seed's text <c>Get block</c>.</item>
/// <item>Round trip: every send pushes its timestamp on the connection's FIFO; a reply takes the receive time first
/// and pops the oldest send time (replies come back in order). With K &gt; 1 it includes queueing behind earlier
/// requests, as in ws_load.js.</item>
/// <item>Phases: warm-up (1 s, not counted), measure (<c>--duration</c> s: only replies received in it count),
/// drain (no new requests; wait until nothing is outstanding, at most 3 s).</item>
/// <item>blocks/s = replies in the window / elapsed; percentiles are <c>sorted[min(n−1, ⌊p/100·n⌋)]</c>; server CPU =
/// Δ(utime+stime) of /proc/PID/stat over the window / elapsed (100 % = one core), client CPU likewise for this
/// process.</item>
/// </list>
/// Differences from ws_load.js, all because of the protocol: in v1 a reply is 16 + 4·4096 bytes (header + samples)
/// and a text message from the server (params or error; none are expected) is counted as <c>unexpected_text</c>
/// rather than as a reply. The block header's sequence number is checked on every connection.
/// </summary>
internal static class LoadGenerator
{
    private const string PinnedVariable = "SYNTHNOTEBOOK_LOAD_PINNED";
    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    internal const string CallCountingDelayVariable = "DOTNET_TC_CallCountingDelayMs";
    private const int ClockTicksPerSecond = 100; // USER_HZ: the unit of /proc/PID/stat, as ws_load.js assumes
    private static readonly byte[] CreditMessage = """{"op":"credit","blocks":1}"""u8.ToArray();
    private static readonly byte[] SeedRequest = "Get block"u8.ToArray();

    private enum Phase
    {
        Connect,
        Warmup,
        Measure,
        Drain,
    }

    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"load: {ex.Message}");
            return 2;
        }

        // The client runs its socket continuations on the epoll thread, like node's single event loop: on one pinned core
        // this adds far less latency than hopping to the thread pool (before any socket exists, so the runtime sees it).
        Environment.SetEnvironmentVariable(InlineCompletionsVariable, options.ClientInline ? "1" : null);
        if (options.Tiering == "fast")
        {
            Environment.SetEnvironmentVariable(CallCountingDelayVariable, "0"); // for the pinned re-run of this client
        }
        if (options.ClientCpus != "all" && Environment.GetEnvironmentVariable(PinnedVariable) != "1" && HasTaskset())
        {
            return await RerunPinnedAsync(options.ClientCpus, args);
        }

        if (options.WaitQuiet is { } quiet)
        {
            await WaitQuietAsync(quiet);
        }
        await using var server = options.Port is null ? await ServerProcess.StartAsync(options) : null;
        var port = server?.Port ?? options.Port!.Value;
        var token = server?.Token ?? options.Token;
        var pid = server?.Pid ?? options.Pid;
        if (options.Aged && options.SeedMode && server is not null)
        {
            Console.Error.WriteLine("load: --aged needs protocol v1 (the voice is aged between hello and the first credit).");
            return 2;
        }

        var run = new Run(options);
        var clients = new Connection[options.Clients];
        for (var c = 0; c < clients.Length; c++)
        {
            clients[c] = new Connection(run, options.Clients == 1);
        }
        var url = new Uri(token is null || !options.SeedMode
            ? $"ws://{options.Host}:{port}/"
            : $"ws://{options.Host}:{port}/?token={Uri.EscapeDataString(token)}");
        await Task.WhenAll(clients.Select(c => c.ConnectAsync(url, options.SeedMode ? null : token ?? "", options.Bytes)));
        if (options.Aged && server is not null)
        {
            await server.WaitAgedAsync(clients.Length, TimeSpan.FromSeconds(30));
        }

        run.Phase = Phase.Warmup;
        foreach (var client in clients)
        {
            for (var i = 0; i < options.Inflight; i++)
            {
                await client.SendRequestAsync();
            }
        }
        var loops = clients.Select(c => Task.Run(c.ReceiveLoopAsync)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup));

        var statsStart = server is null ? null : await server.StatsAsync();
        var tStart = Stopwatch.GetTimestamp();
        var cpuStart = ProcessCpuSeconds(pid);
        var clientCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var machineStart = MachineBusySeconds();
        run.Phase = Phase.Measure;
        await Task.Delay(TimeSpan.FromSeconds(options.Duration));
        var elapsed = Stopwatch.GetElapsedTime(tStart).TotalSeconds;
        var cpu = ProcessCpuSeconds(pid) - cpuStart;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpuStart).TotalSeconds;
        var machine = MachineBusySeconds() - machineStart;
        run.Phase = Phase.Drain;
        var statsEnd = server is null ? null : await server.StatsAsync();
        var rss = ResidentKilobytes(pid);

        var drained = Task.WhenAll(loops);
        await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(3)));
        var failures = loops.Where(l => l.IsFaulted).Select(l => l.Exception!.GetBaseException().Message).Distinct().ToArray();
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        var final = server is null ? null : await server.StopAsync();

        var result = Summarise(options, clients, elapsed, cpu, clientCpu, machine, rss, statsStart, statsEnd, server is not null, pid);
        var json = result.ToJsonString();
        Console.WriteLine(json);
        if (options.Out is { } path)
        {
            await File.AppendAllTextAsync(path, json + "\n");
        }
        Console.WriteLine(Describe(result));
        if (final is not null)
        {
            Console.WriteLine($"# server process total: {final.Blocks:N0} blocks, {final.Allocated:N0} bytes allocated since start " +
                $"(startup and connections included), GC gen0/1/2 = {final.Gen0}/{final.Gen1}/{final.Gen2}");
        }
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"load: a connection failed: {failure}");
        }
        var bad = (long)result["bad"]!;
        return failures.Length > 0 || bad > 0 || clients.Sum(c => c.Received) == 0 ? 1 : 0;
    }

    private static JsonObject Summarise(LoadOptions options, Connection[] clients, double elapsed, double cpu, double clientCpu,
        double machine, long? rss, ServerStats? start, ServerStats? end, bool spawned, int pid)
    {
        var received = clients.Sum(c => c.Received);
        var rtts = clients.SelectMany(c => c.Rtts).ToArray();
        Array.Sort(rtts);
        double Percentile(double p) => rtts.Length == 0 ? double.NaN : rtts[Math.Min(rtts.Length - 1, (int)Math.Floor(p / 100 * rtts.Length))];
        var bytes = clients[0].ExpectedBytes;
        var blocks = end is not null && start is not null ? end.Blocks - start.Blocks : 0;
        return new JsonObject
        {
            ["label"] = options.Label,
            ["server"] = spawned ? "synthnotebook" : "external",
            ["components"] = spawned ? options.Components : null,
            ["aged"] = options.Aged,
            ["seed_mode"] = options.SeedMode,
            ["server_cpus"] = spawned ? options.ServerCpus : null,
            ["server_env"] = options.ServerEnvironment.Count > 0 ? string.Join(' ', options.ServerEnvironment) : null,
            ["tiering"] = options.Tiering,
            ["warmup_s"] = options.Warmup,
            ["client_inline"] = options.ClientInline,
            ["client_cpus"] = options.ClientCpus,
            ["clients"] = options.Clients,
            ["inflight"] = options.Inflight,
            ["seconds"] = Math.Round(elapsed, 3),
            ["buffers"] = received,
            ["bad"] = clients.Sum(c => c.Bad),
            ["buffers_per_s"] = Math.Round(received / elapsed, 1),
            ["MB_per_s"] = Math.Round(received * (double)bytes / elapsed / 1e6, 2),
            ["rt_streams"] = Math.Round(received / elapsed / (44100.0 / 4096), 1),
            ["rtt_ms"] = new JsonObject
            {
                ["p50"] = Round3(Percentile(50)),
                ["p90"] = Round3(Percentile(90)),
                ["p99"] = Round3(Percentile(99)),
                ["max"] = Round3(Percentile(100)),
            },
            ["server_cpu_pct"] = pid > 0 ? Math.Round(100 * cpu / elapsed, 1) : null,
            ["client_cpu_pct"] = Math.Round(100 * clientCpu / elapsed, 1),
            ["machine_cpu_pct"] = Math.Round(100 * machine / elapsed, 1),
            ["other_cpu_pct"] = pid > 0 ? Math.Round(100 * (machine - cpu - clientCpu) / elapsed, 1) : null,
            ["max_boundary_jump"] = options.Clients == 1 ? Math.Round(clients[0].MaxBoundaryJump, 5) : null,
            ["server_rss_kB"] = rss,
            ["server_alloc_bytes_per_block"] = blocks > 0 ? Math.Round((double)(end!.Allocated - start!.Allocated) / blocks, 2) : null,
            ["server_alloc_bytes"] = end is not null && start is not null ? end.Allocated - start.Allocated : null,
            ["server_blocks"] = end is not null ? blocks : null,
            ["server_gc"] = end is not null && start is not null
                ? new JsonObject
                {
                    ["gen0"] = end.Gen0 - start.Gen0,
                    ["gen1"] = end.Gen1 - start.Gen1,
                    ["gen2"] = end.Gen2 - start.Gen2,
                    ["pause_ms"] = Math.Round(end.GcPauseMs - start.GcPauseMs, 3),
                }
                : null,
            ["sequence_errors"] = options.SeedMode ? null : clients.Sum(c => c.SequenceErrors),
            ["unexpected_text"] = clients.Sum(c => c.UnexpectedText),
            ["bytes"] = bytes,
        };
    }

    private static double? Round3(double value) => double.IsNaN(value) ? null : Math.Round(value, 3);

    private static string Describe(JsonObject r)
    {
        var rtt = r["rtt_ms"]!;
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"# {r["clients"]} client(s) x {r["inflight"]} in flight, ");
        text.Append(r["server"]!.GetValue<string>() == "synthnotebook"
            ? $"{r["components"]} components{((bool)r["aged"]! ? " (aged voices)" : "")}, server on CPUs {r["server_cpus"]}, "
            : "external server, ");
        text.Append(CultureInfo.InvariantCulture, $"client on CPUs {r["client_cpus"]}, {((bool)r["seed_mode"]! ? "seed mode" : "protocol v1")}:\n");
        text.Append(CultureInfo.InvariantCulture,
            $"#   {(double)r["buffers_per_s"]!:N0} blocks/s ({r["rt_streams"]} real-time 44.1 kHz streams, {r["MB_per_s"]} MB/s), " +
            $"{r["buffers"]} blocks in {r["seconds"]} s, bad {r["bad"]}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"#   round trip ms: p50 {rtt["p50"]}  p90 {rtt["p90"]}  p99 {rtt["p99"]}  max {rtt["max"]}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"#   server CPU {r["server_cpu_pct"]?.ToString() ?? "n/a"} %, client CPU {r["client_cpu_pct"]} %, " +
            $"other processes {r["other_cpu_pct"]?.ToString() ?? "n/a"} % (machine {r["machine_cpu_pct"]} % of 100 % x CPUs), server RSS {r["server_rss_kB"]?.ToString() ?? "n/a"} kB");
        if (r["server_alloc_bytes_per_block"] is { } perBlock)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n#   server allocated {r["server_alloc_bytes"]} bytes for {r["server_blocks"]} blocks in the window = {perBlock} bytes/block; " +
                $"GC {r["server_gc"]!["gen0"]}/{r["server_gc"]!["gen1"]}/{r["server_gc"]!["gen2"]} (gen0/1/2)");
        }
        if (r["max_boundary_jump"] is { } jump)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n#   max boundary jump {jump}");
        }
        return text.ToString();
    }

    /// <summary>Seconds of user + system CPU of a process, from fields 14 and 15 of /proc/PID/stat (10 ms resolution).</summary>
    internal static double ProcessCpuSeconds(int pid)
    {
        if (pid <= 0)
        {
            return double.NaN;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture))
            / (double)ClockTicksPerSecond;
    }

    /// <summary>Waits (at most 10 minutes) until the machine has been idle but for <paramref name="percent"/> % of a CPU for 2 s.</summary>
    private static async Task WaitQuietAsync(double percent)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(10))
        {
            var before = MachineBusySeconds();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var busy = (MachineBusySeconds() - before) / 2 * 100;
            if (busy <= percent)
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(3))
                {
                    Console.Error.WriteLine($"load: waited {waited.Elapsed.TotalSeconds:0} s for other processes to go quiet");
                }
                return;
            }
        }
        Console.Error.WriteLine($"load: the machine stayed busy for 10 minutes; measuring anyway");
    }

    /// <summary>Busy CPU-seconds of the whole machine (all CPUs; user, nice, system, irq, softirq, steal) from /proc/stat.</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / (double)ClockTicksPerSecond;
    }

    private static long? ResidentKilobytes(int pid)
    {
        if (pid <= 0 || !File.Exists($"/proc/{pid}/status"))
        {
            return null;
        }
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    internal static bool HasTaskset() => OperatingSystem.IsLinux() && File.Exists("/usr/bin/taskset");

    /// <summary>A CPU list for taskset: "all" means every online CPU (a pinned parent would otherwise pass its own pin on).</summary>
    internal static string CpuList(string cpus)
        => cpus == "all" ? File.ReadAllText("/sys/devices/system/cpu/online").Trim() : cpus;

    /// <summary>The command line that runs this program again: the apphost, or dotnet and this dll.</summary>
    internal static IEnumerable<string> SelfCommand()
    {
        var host = Environment.ProcessPath!;
        yield return host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            yield return typeof(LoadGenerator).Assembly.Location;
        }
    }

    /// <summary>Runs this same command again under <c>taskset -c CPUS</c>, as run_all.sh pins ws_load.js.</summary>
    private static async Task<int> RerunPinnedAsync(string cpus, string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/taskset") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(CpuList(cpus));
        foreach (var part in SelfCommand())
        {
            start.ArgumentList.Add(part);
        }
        start.ArgumentList.Add("load");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[PinnedVariable] = "1";
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    private sealed class Run(LoadOptions options)
    {
        private volatile Phase _phase = Phase.Connect;

        public LoadOptions Options { get; } = options;

        public Phase Phase
        {
            get => _phase;
            set => _phase = value;
        }
    }

    /// <summary>One WebSocket and its FIFO of send times.</summary>
    private sealed class Connection(Run run, bool checkContinuity)
    {
        private readonly ClientWebSocket _socket = new();
        private readonly Queue<long> _sent = new();
        private readonly byte[] _buffer = new byte[256 * 1024];
        private int _outstanding;
        private float? _last;
        private long _nextSequence;

        public List<double> Rtts { get; } = new(capacity: 1 << 16);

        public long Received { get; private set; }

        public long Bad { get; private set; }

        public long UnexpectedText { get; private set; }

        public long SequenceErrors { get; private set; }

        public double MaxBoundaryJump { get; private set; }

        public int ExpectedBytes { get; private set; }

        private int SamplesOffset { get; set; }

        public async Task ConnectAsync(Uri url, string? helloToken, int seedBytes)
        {
            _socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await _socket.ConnectAsync(url, CancellationToken.None);
            if (helloToken is null)
            {
                ExpectedBytes = seedBytes;
                SamplesOffset = 0;
                return;
            }
            var hello = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["op"] = "hello", ["token"] = helloToken, ["version"] = 1 });
            await _socket.SendAsync(hello, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var (type, length) = await ReceiveMessageAsync();
            if (type != WebSocketMessageType.Text)
            {
                throw new InvalidOperationException(
                    $"Expected a welcome, got {type} {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }
            var welcome = JsonNode.Parse(_buffer.AsSpan(0, length))!;
            if ((string?)welcome["op"] != "welcome")
            {
                throw new InvalidOperationException($"Expected a welcome, got {Encoding.UTF8.GetString(_buffer, 0, length)}");
            }
            SamplesOffset = (int)welcome["headerBytes"]!;
            ExpectedBytes = SamplesOffset + (int)welcome["blockSize"]! * sizeof(float);
        }

        public ValueTask SendRequestAsync()
        {
            _sent.Enqueue(Stopwatch.GetTimestamp());
            _outstanding++;
            return _socket.SendAsync((run.Options.SeedMode ? SeedRequest : CreditMessage).AsMemory(), WebSocketMessageType.Text, endOfMessage: true,
                CancellationToken.None);
        }

        public async Task ReceiveLoopAsync()
        {
            while (true)
            {
                var (type, length) = await ReceiveMessageAsync();
                var received = Stopwatch.GetTimestamp();
                if (type == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException(
                        $"The server closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                }
                if (type == WebSocketMessageType.Text && !run.Options.SeedMode)
                {
                    UnexpectedText++; // params or error: not a reply to a request
                    continue;
                }
                var sent = _sent.Dequeue();
                _outstanding--;
                if (type != WebSocketMessageType.Binary || length != ExpectedBytes)
                {
                    Bad++;
                }
                else
                {
                    Check(length);
                }
                var phase = run.Phase;
                if (phase == Phase.Measure)
                {
                    Received++;
                    Rtts.Add((received - sent) * 1000.0 / Stopwatch.Frequency);
                }
                if (phase is Phase.Warmup or Phase.Measure)
                {
                    await SendRequestAsync();
                }
                else if (phase == Phase.Drain && _outstanding == 0)
                {
                    return;
                }
            }
        }

        private void Check(int length)
        {
            if (SamplesOffset > 0)
            {
                var sequence = BitConverter.ToInt64(_buffer, 0);
                if (sequence != _nextSequence)
                {
                    SequenceErrors++;
                }
                _nextSequence = sequence + 1;
            }
            if (checkContinuity)
            {
                var first = BitConverter.ToSingle(_buffer, SamplesOffset);
                if (_last is { } last)
                {
                    MaxBoundaryJump = Math.Max(MaxBoundaryJump, Math.Abs(first - last));
                }
                _last = BitConverter.ToSingle(_buffer, length - sizeof(float));
            }
        }

        private async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync()
        {
            var length = 0;
            while (true)
            {
                if (length == _buffer.Length)
                {
                    throw new InvalidOperationException($"A message is larger than {_buffer.Length} bytes.");
                }
                var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
                if (result.MessageType == WebSocketMessageType.Close || result.EndOfMessage)
                {
                    return (result.MessageType, length);
                }
            }
        }

        public async Task CloseAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
            }
            finally
            {
                _socket.Abort();
                _socket.Dispose();
            }
        }
    }
}

/// <summary>The command line of <c>load</c>.</summary>
internal sealed class LoadOptions
{
    public int Clients { get; private set; } = 1;
    public int Inflight { get; private set; } = 1;
    public double Duration { get; private set; } = 6;
    public double Warmup { get; private set; } = 1;
    public int Components { get; private set; } = 5;
    public bool Aged { get; private set; }
    public bool SeedMode { get; private set; }
    public int? Port { get; private set; }
    public string? Token { get; private set; }
    public int Pid { get; private set; }
    public int Bytes { get; private set; } = 4096 * sizeof(float);
    public string ServerCpus { get; private set; } = "0";
    public string ClientCpus { get; private set; } = "1";
    public string Host { get; private set; } = "127.0.0.1";
    public string? Label { get; private set; }
    public string? Out { get; private set; }
    public bool AllocationTrace { get; private set; }
    public double? WaitQuiet { get; private set; }
    public string Tiering { get; private set; } = "fast";
    public bool ClientInline { get; private set; } = true;
    public List<string> ServerEnvironment { get; } = [];
    public bool ProductLimits { get; private set; }

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Double() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--clients": o.Clients = Int(); break;
                case "--inflight": o.Inflight = Int(); break;
                case "--duration": o.Duration = Double(); break;
                case "--warmup": o.Warmup = Double(); break;
                case "--components": o.Components = Int(); break;
                case "--aged": o.Aged = true; break;
                case "--product-limits": o.ProductLimits = true; break;
                case "--seed-mode": o.SeedMode = true; break;
                case "--port": o.Port = Int(); break;
                case "--token": o.Token = Next(); break;
                case "--pid": o.Pid = Int(); break;
                case "--bytes": o.Bytes = Int(); break;
                case "--server-cpus": o.ServerCpus = Next(); break;
                case "--client-cpus": o.ClientCpus = Next(); break;
                case "--host": o.Host = Next(); break;
                case "--label": o.Label = Next(); break;
                case "--alloc-trace": o.AllocationTrace = true; break;
                case "--server-env": o.ServerEnvironment.Add(Next()); break;
                case "--wait-quiet": o.WaitQuiet = Double(); break;
                case "--tiering": o.Tiering = Next(); break;
                case "--client-threadpool": o.ClientInline = false; break;
                case "--out": o.Out = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (o.Host is not ("127.0.0.1" or "localhost"))
        {
            throw new ArgumentException("loopback only (--host 127.0.0.1 or localhost)");
        }
        if (o.Tiering is not ("fast" or "default"))
        {
            throw new ArgumentException("--tiering fast (call counting from the start) or default");
        }
        if (o.Clients < 1 || o.Inflight < 1 || o.Duration <= 0 || o.Warmup < 0)
        {
            throw new ArgumentException("--clients and --inflight must be at least 1, --duration positive");
        }
        return o;
    }
}

/// <summary>The <c>serve</c> child process: started pinned, asked for stats over stdin, stopped at the end.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Threading.Channels.Channel<string> _lines =
        System.Threading.Channels.Channel.CreateUnbounded<string>();
    private int _aged;
    private bool _stopped;

    private ServerProcess(Process process) => _process = process;

    public int Port { get; private set; }

    public string Token { get; private set; } = "";

    public int Pid { get; private set; }

    public static async Task<ServerProcess> StartAsync(LoadOptions options)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        var command = LoadGenerator.SelfCommand().ToList();
        if (LoadGenerator.HasTaskset())
        {
            command.InsertRange(0, ["/usr/bin/taskset", "-c", LoadGenerator.CpuList(options.ServerCpus)]);
        }
        start.FileName = command[0];
        foreach (var part in command.Skip(1).Concat(["serve", "--components", options.Components.ToString(CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(part);
        }
        if (options.Aged)
        {
            start.ArgumentList.Add("--aged");
        }
        if (options.AllocationTrace)
        {
            start.ArgumentList.Add("--alloc-trace");
        }
        if (options.ProductLimits)
        {
            start.ArgumentList.Add("--product-limits");
        }
        start.Environment.Remove("SYNTHNOTEBOOK_LOAD_PINNED");
        start.Environment.Remove(LoadGenerator.InlineCompletionsVariable); // the client's setting, not the server's
        start.Environment.Remove(LoadGenerator.CallCountingDelayVariable);
        if (options.Tiering == "fast")
        {
            // Tier-up starts at once instead of after 100 ms without new JIT work, which on a saturated core keeps the
            // hot loops in unoptimised code for 20-30 s. The steady-state code is the same; it just arrives in ~3 s.
            start.Environment[LoadGenerator.CallCountingDelayVariable] = "0";
        }
        foreach (var assignment in options.ServerEnvironment)
        {
            var parts = assignment.Split('=', 2);
            start.Environment[parts[0]] = parts.Length > 1 ? parts[1] : "";
        }
        var server = new ServerProcess(Process.Start(start)!);
        _ = server.PumpAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await server.NextAsync(l => l.StartsWith("listening ", StringComparison.Ordinal), timeout.Token);
        var fields = line.Split(' ').Skip(1).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        server.Port = int.Parse(fields["port"], CultureInfo.InvariantCulture);
        server.Token = fields["token"];
        server.Pid = int.Parse(fields["pid"], CultureInfo.InvariantCulture);
        return server;
    }

    public async Task WaitAgedAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (_aged < count)
        {
            var line = await NextAsync(l => l.StartsWith("aged ", StringComparison.Ordinal), cancel.Token);
            _aged = int.Parse(line.Split(' ')[1].Split('=')[1], CultureInfo.InvariantCulture);
        }
        await _process.StandardInput.WriteLineAsync("stop-aging");
        await _process.StandardInput.FlushAsync();
    }

    public async Task<ServerStats> StatsAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await NextAsync(l => l.StartsWith("stats ", StringComparison.Ordinal), timeout.Token);
        return JsonSerializer.Deserialize(line["stats ".Length..], ServerStatsJson.Default.ServerStats)!;
    }

    public async Task<ServerStats?> StopAsync()
    {
        if (_stopped)
        {
            return null;
        }
        _stopped = true;
        ServerStats? final = null;
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var line = await NextAsync(l => l.StartsWith("final ", StringComparison.Ordinal), timeout.Token);
            final = JsonSerializer.Deserialize(line["final ".Length..], ServerStatsJson.Default.ServerStats);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Threading.Channels.ChannelClosedException)
        {
            Console.Error.WriteLine($"load: the server process did not stop cleanly ({ex.GetType().Name}); killing pid {_process.Id}");
            _process.Kill();
        }
        return final;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            await _lines.Writer.WriteAsync(line);
        }
        _lines.Writer.TryComplete();
    }

    private async Task<string> NextAsync(Func<string, bool> match, CancellationToken cancel)
    {
        while (true)
        {
            var line = await _lines.Reader.ReadAsync(cancel);
            if (match(line))
            {
                return line;
            }
        }
    }
}
