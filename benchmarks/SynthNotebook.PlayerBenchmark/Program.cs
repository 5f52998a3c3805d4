using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using SynthNotebook.Instruments;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

// A scripted browser run of the player (a benchmark, not a test): the server's own page in headless Debian Chromium,
// a slider move every 500 ms, the player's stats sampled every 100 ms. Reports underruns, buffered ms and
// slider→sound latency (the player's own measure: input event → first block with the change, plus audio queued
// in front of it).
//   dotnet run -c Release --project benchmarks/SynthNotebook.PlayerBenchmark -- [--seconds 60] [--sample-rate 48000] [--target-ms 40] [--stress]
// With --duplex it measures the microphone's round trip instead (DuplexBenchmark.cs; --target-ms is then the cushion;
// --block-size the block). --stress loads every core for the whole run (CpuStress.cs); --trace FILE writes the
// deliveries the player timed. With --keys the server plays an instrument and, instead of a slider, an on-screen key is
// pressed and let go in turn every 500 ms: key→sound latency, by the same measure.
var seconds = Option("--seconds", 60);
var sampleRate = Option("--sample-rate", 48_000);
using var stress = CpuStress.StartIf(args.Contains("--stress"), seconds + 30);
Console.WriteLine($"load: {stress?.Description ?? "none (quiet)"}");
if (args.Contains("--duplex"))
{
    await DuplexBenchmark.RunAsync(seconds, sampleRate, Option("--target-ms", (int)new PlayerOptions().DuplexLatencyMs),
        Option("--block-size", new PlayerOptions().BlockSize));
    return;
}
var targetMs = Option("--target-ms", (int)new PlayerOptions().TargetLatencyMs);

var synth = new Synth();
var keys = args.Contains("--keys");
await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = 0 });
server.PageOptions = new PlayerOptions { SampleRate = sampleRate, TargetLatencyMs = targetMs };
if (keys)
{
    server.Source = new Instrument();
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await HeadlessChromium.LaunchAsync(playwright);
var page = await browser.NewPageAsync();
await page.GotoAsync(server.PageUrl.ToString());
var player = page.Locator(".synth-notebook-player");
await player.Locator("button[data-action=play]").ClickAsync();
await page.WaitForFunctionAsync("() => document.querySelector('.synth-notebook-player').synthPlayer.stats.blocksReceived > 0");

// Stalls of the page's event loop (timer lateness): the stream no longer passes through it, so they should not
// matter; reported to show that.
await page.EvaluateAsync(@"() => {
    window.__lag = { max: 0, over20: 0 };
    let last = performance.now();
    setInterval(() => { const now = performance.now(); const lag = now - last - 10; last = now;
        window.__lag.max = Math.max(window.__lag.max, lag); if (lag > 20) window.__lag.over20++; }, 10);
}");

var slider = player.Locator("input[name=frequency-0]");
var box = (await slider.BoundingBoxAsync())!;
if (keys)
{
    await player.Locator(".snp-keyboard").WaitForAsync();
}
var keyDown = false;
var random = new Random(7);
var buffered = new List<double>();
var floors = new List<double>();   // the cushion's floor over the run (it follows the deliveries it sees)
var latencies = new List<double>();
var heard = 0;
var clock = Stopwatch.StartNew();
var nextMove = TimeSpan.FromSeconds(8);   // let the cushion settle first (warm-up: 120 ms, thinning after 2 s)
PlayerStats stats;
PlayerStats? settled = null;   // at the first move; underruns are counted from there, and from 10 s later
PlayerStats? afterFirst10 = null;
var cpuAtSettled = TimeSpan.Zero;
var settledAt = TimeSpan.Zero;
do
{
    await Task.Delay(100);
    stats = await Stats();
    buffered.Add(stats.BufferedMs);
    floors.Add(stats.FloorMs);
    if (stats.ChangesHeard > heard)
    {
        latencies.AddRange(stats.LatenciesMs.TakeLast(stats.ChangesHeard - heard));
        heard = stats.ChangesHeard;
    }
    if (clock.Elapsed >= TimeSpan.FromSeconds(8) && settled is null)
    {
        settled = stats;
        cpuAtSettled = Process.GetCurrentProcess().TotalProcessorTime;
        settledAt = clock.Elapsed;
    }
    if (clock.Elapsed >= TimeSpan.FromSeconds(18) && afterFirst10 is null)
    {
        afterFirst10 = stats;
    }
    if (clock.Elapsed >= nextMove)
    {
        if (!keys)
        {
            await page.Mouse.ClickAsync(box.X + box.Width * (float)(0.4 + 0.3 * random.NextDouble()), box.Y + box.Height / 2);
        }
        else if (keyDown)
        {
            await page.Mouse.UpAsync();
            keyDown = false;
        }
        else
        {
            var key = (await player.Locator($".snp-key[data-note='{60 + 2 * random.Next(8)}']").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(key.X + key.Width / 2, key.Y + key.Height - 8);
            await page.Mouse.DownAsync();
            keyDown = true;
        }
        nextMove += TimeSpan.FromMilliseconds(500);
    }
}
while (clock.Elapsed < TimeSpan.FromSeconds(seconds + 8));

// This process is the server and Playwright's client (a stats poll every 100 ms); Chromium is not in it.
var processCpuPct = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtSettled) / (clock.Elapsed - settledAt) * 100;
buffered.Sort();
floors.Sort();
latencies.Sort();
var report = new
{
    seconds,
    sampleRate,
    floorMs = targetMs,
    load = stress?.Description ?? "quiet",
    moved = keys ? "keys (press, release)" : "slider",
    underruns = stats.Underruns,
    underrunsPerMinute = (stats.Underruns - settled!.Underruns) * 60.0 / seconds,
    underrunsPerMinuteAfterFirst10s = (stats.Underruns - afterFirst10!.Underruns) * 60.0 / (seconds - 10),
    concealed = stats.Concealed,
    // A click: a step between played samples above the stream's own largest plus one fade step (peak/128).
    largestStep = stats.LargestStep,
    largestStreamStep = stats.LargestStreamStep,
    late = stats.Late,
    bufferedMs = new { min = buffered[0], median = Percentile(buffered, 50), max = buffered[^1] },
    targetMs = stats.TargetMs,
    floorReachedMs = stats.FloorMs,
    floorMsOverRun = new { min = floors[0], median = Percentile(floors, 50), max = floors[^1] },
    sliderMoves = latencies.Count,
    latencyMs = new { p50 = Percentile(latencies, 50), p95 = Percentile(latencies, 95), max = latencies.LastOrDefault() },
    pace = stats.Pace,
    paceExtras = stats.PaceExtras - settled.PaceExtras,
    paceHolds = stats.PaceHolds - settled.PaceHolds,
    rewinds = stats.Rewinds - settled.Rewinds,
    rewindsLate = stats.RewindsLate - settled.RewindsLate,
    rewindLeadMs = stats.RewindLeadMs,
    rewindRoundTripsMs = stats.RewindRoundTripsMs,
    serverProcessCpuPct = processCpuPct,
};
Console.WriteLine(JsonSerializer.Serialize(report));
// --trace FILE: the link's record of this run's deliveries ([ms, delay ms] each), e.g. for tests/player/traces.
if (Array.IndexOf(args, "--trace") is var traceAt and >= 0 && traceAt + 1 < args.Length)
{
    await File.WriteAllTextAsync(args[traceAt + 1], await player.EvaluateAsync<string>("async root => JSON.stringify(await root.synthPlayer.deliveryTrace())"));
    Console.WriteLine($"deliveries written to {args[traceAt + 1]}");
}
Console.WriteLine($"page event-loop lag in ms (max, times over 20 ms): {await page.EvaluateAsync<string>("() => JSON.stringify(window.__lag)")}");
Console.WriteLine($"underruns/min {report.underrunsPerMinute:0.0} ({report.underrunsPerMinuteAfterFirst10s:0.0} after the first 10 s), concealed {stats.Concealed} of {stats.Underruns}, largest step {stats.LargestStep:0.000} vs the stream's {stats.LargestStreamStep:0.000}; underruns {stats.Underruns}, floor {floors[0]:0.0}/{Percentile(floors, 50):0.0}/{floors[^1]:0.0} ms, buffered {report.bufferedMs.min:0.0}/{report.bufferedMs.median:0.0}/{report.bufferedMs.max:0.0} ms " +
                  $"(min/median/max), {(keys ? "key" : "slider")}→sound p50 {report.latencyMs.p50:0.0} ms, p95 {report.latencyMs.p95:0.0} ms over {latencies.Count} moves");
return;

async Task<PlayerStats> Stats() => JsonSerializer.Deserialize<PlayerStats>(
    await player.EvaluateAsync<string>("root => JSON.stringify(root.synthPlayer.stats)"),
    new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

static double Percentile(List<double> sorted, double p)
    => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p / 100 * sorted.Count))];

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1]) : fallback;
}

internal sealed record PlayerStats(bool Connected, double BufferedMs, double TargetMs, int Underruns, int Late,
    int BlocksReceived, double[] LatenciesMs, int ChangesHeard, double FloorMs, int Concealed, double LargestStep, double LargestStreamStep,
    int Pace, int PaceExtras, int PaceHolds, int Rewinds, int RewindsLate, double RewindLeadMs, double[] RewindRoundTripsMs);
