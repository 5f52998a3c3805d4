using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using SynthNotebook.BrowserTests;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

/// <summary>
/// The microphone's round trip (a benchmark, not a test): the server's /duplex page in headless Chromium with a fake
/// microphone (a 440 Hz WAV), pass-through chain, for <c>seconds</c> after a 3 s settle. Reports the player's own
/// round-trip measure (capture frame → played frame), underruns and skipped audio.
/// </summary>
internal static class DuplexBenchmark
{
    public static async Task RunAsync(int seconds, int sampleRate, double cushionMs, int blockSize)
    {
        var folder = Directory.CreateTempSubdirectory("synthnotebook-duplex-bench-").FullName;
        var wav = Path.Combine(folder, "microphone.wav");
        PcmWav.Write(wav, Enumerable.Range(0, 10 * sampleRate).Select(i => (float)(0.25 * Math.Sin(2 * Math.PI * 440 * i / sampleRate))).ToArray(), sampleRate);

        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        server.PageOptions = new PlayerOptions { SampleRate = sampleRate, DuplexLatencyMs = cushionMs, BlockSize = blockSize };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright,
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-audio-capture={wav}");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Permissions = ["microphone"] });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.DuplexPageUrl.ToString());
        var player = page.Locator(".synth-notebook-player");
        await player.Locator("button[data-action=play]").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('.synth-notebook-player').synthPlayer.stats.roundTripMs.length > 0");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var first = await StatsAsync(player);
        var blocksPerSecond = sampleRate / blockSize;
        var roundTrips = new List<double>();
        var clock = Stopwatch.StartNew();
        DuplexStats stats;
        do
        {
            await Task.Delay(1000);
            stats = await StatsAsync(player);
            roundTrips.AddRange(stats.RoundTripMs.TakeLast(blocksPerSecond));
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds));

        roundTrips.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            seconds,
            sampleRate,
            cushionMs,
            blockSize,
            samples = roundTrips.Count,
            roundTripMs = new { p50 = Percentile(roundTrips, 50), p95 = Percentile(roundTrips, 95), max = roundTrips.LastOrDefault() },
            underruns = stats.Underruns - first.Underruns,
            skippedMs = (stats.Skipped - first.Skipped) * 1000.0 / sampleRate,
        }));
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<DuplexStats> StatsAsync(ILocator player) => JsonSerializer.Deserialize<DuplexStats>(
        await player.EvaluateAsync<string>("root => JSON.stringify(root.synthPlayer.stats)"),
        new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    private static double Percentile(List<double> sorted, double p)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p / 100 * sorted.Count))];

    private sealed record DuplexStats(int Underruns, int Skipped, double[] RoundTripMs);
}
