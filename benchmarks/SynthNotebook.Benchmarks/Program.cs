using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SynthNotebook.Benchmarks;

// dotnet run -c Release --project benchmarks/SynthNotebook.Benchmarks -- <command> [options]   (see benchmarks/README.md)
return args.FirstOrDefault() switch
{
    "generator" => RunGenerator(args[1..]),
    "voices" => VoiceBenchmarks.Run(args[1..]),
    "load" => await LoadGenerator.RunAsync(args[1..]),
    "serve" => await ServeCommand.RunAsync(args[1..]),
    "summarize" => LoadSummary.Run(args[1..]),
    "chart" => ChartCommand.Run(args[1..]),
    "soak" => await SoakCommand.RunAsync(args[1..]),
    "paced" => await PacedCommand.RunAsync(args[1..]),
    _ => Usage(),
};

static int RunGenerator(string[] args)
{
    // Artifacts next to this project (bin/Release/net10.0/ -> project folder), wherever it is run from; --artifacts overrides.
    var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "BenchmarkDotNet.Artifacts"));
    var summary = BenchmarkRunner.Run<GeneratorBenchmarks>(DefaultConfig.Instance.WithArtifactsPath(artifacts), args);
    return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          generator [BenchmarkDotNet args, e.g. --job short]
              OscillatorBank: one 4096-sample block at 5/50/500 components (fresh, aged, gliding).
          voices [BenchmarkDotNet args]
              One instrument voice (oscillator → ADSR → low-pass), and an instrument of 16 and 128 held voices, one
              256-sample block at 48 kHz: voices per core. And the microphone input: 10 ms fed at 48 kHz and read by
              a listener at 48 or 44.1 kHz.
          load [--clients N] [--inflight K] [--duration S] [--warmup S] [--components C] [--aged] [--seed-mode]
               [--server-cpus 0|all|LIST] [--client-cpus 1|all|LIST] [--port P [--token T] [--pid PID]]
               [--label TEXT] [--out FILE.jsonl] [--server-env NAME=VALUE]... [--alloc-trace] [--wait-quiet PERCENT]
               [--tiering fast|default] [--client-threadpool]
              WebSocket load: N clients each keeping K requests in flight (as /work/shared/anchors/seed/ws_load.js).
              Without --port it starts `serve` in a child process pinned with taskset; with --port it measures
              an external server (e.g. the seed's Python server: --port 8889 --seed-mode --pid <its pid>).
          paced [--clients N] [--block-size B] [--sample-rate R] [--duration S] [--server-cpus 0|all] [--server-env NAME=VALUE]...
                [--seed-mode --port P --pid PID] [--stress]
              What listening costs: N clients each taking one block per block period, as a player does; the server's
              CPU from /proc (100 % = one core), per client, beside the idle server's.
          serve [--port P] [--components C] [--aged] [--token T]
              Runs a SynthServer; prints "listening port=P token=T pid=PID"; reads "stats" / "quit" on stdin.
          chart [--charts N] [--after-warm-up]
              What a chart costs a kernel: the first of a fresh process (or after the extension's warm-up), then
              each further one (ms, MB allocated).
          soak [--clients N] [--duration S] [--storm CYCLES]
              The server as users run it, N real-time players plus a client that never reads, an error flooder
              and a reconnect storm at once: blocks per player, gaps, server RSS and threads, stop time.
          summarize FILE.jsonl...
              Medians per configuration of the JSON lines written by load, as a markdown table.
        """);
    return 2;
}
