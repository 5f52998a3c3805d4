using System.Reflection;
using System.Text.Json;
using Microsoft.Playwright;
using SynthNotebook.Streaming;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// A page with player widgets and the test-only recorder, in a fresh browser context. Pages are served under
/// http://localhost:PORT (a secure context whose Origin the server allows) by intercepting the request.
/// </summary>
public sealed class PlayerPage : IAsyncDisposable
{
    private static readonly string RecorderScript = LoadScript("recorder.js");

    private readonly IBrowserContext _context;
    private TestPageHost? _host;

    private PlayerPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => Console.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => Console.Add($"pageerror: {error}");
    }

    public IPage Page { get; }

    /// <summary>What the page printed: attached to failures to say why.</summary>
    public List<string> Console { get; } = [];

    /// <summary>Requests the page tried to send off this machine: refused, since a notebook may be offline.</summary>
    public List<string> OffMachineRequests { get; } = [];

    /// <summary>Opens a page made of the given HTML fragments (e.g. player widgets), served from 127.0.0.1.</summary>
    public static Task<PlayerPage> OpenAsync(IBrowser browser, params string[] fragments)
        => OpenAsync(browser, fragments, initScript: null);

    /// <summary>As above, with a script that runs in the page before anything else (to take a browser feature away).</summary>
    public static async Task<PlayerPage> OpenAsync(IBrowser browser, IEnumerable<string> fragments, string? initScript)
    {
        var html = $"<!doctype html><html><head><meta charset=\"utf-8\"></head><body>{string.Join("\n", fragments)}</body></html>";
        var host = await TestPageHost.StartAsync(html);
        var result = await OpenUrlAsync(browser, host.Url, initScript);
        result._host = host;
        return result;
    }

    /// <summary>Opens the server's own standalone page (its HTTP root, with the token).</summary>
    public static Task<PlayerPage> OpenServerPageAsync(IBrowser browser, SynthServer server)
        => OpenUrlAsync(browser, server.PageUrl.ToString());

    /// <summary>Opens the server's own microphone page (/duplex, with the token), the microphone allowed.</summary>
    public static Task<PlayerPage> OpenDuplexPageAsync(IBrowser browser, SynthServer server, string? initScript = null)
        => OpenUrlAsync(browser, server.DuplexPageUrl.ToString(), initScript);

    /// <summary>Opens any page of this machine (a Jupyter notebook page) with the recorder in place.</summary>
    public static Task<PlayerPage> OpenAsync(IBrowser browser, Uri url) => OpenUrlAsync(browser, url.ToString());

    private static async Task<PlayerPage> OpenUrlAsync(IBrowser browser, string url, string? initScript = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Permissions = ["microphone"] });
        await context.AddInitScriptAsync(RecorderScript);
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }
        var page = await context.NewPageAsync();
        var result = new PlayerPage(context, page);
        await context.RouteAsync("**/*", async route =>
        {
            var host = new Uri(route.Request.Url).Host;
            if (host is "127.0.0.1" or "localhost" || route.Request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            result.OffMachineRequests.Add(route.Request.Url);
            await route.AbortAsync();
        });
        await page.GotoAsync(url);
        return result;
    }

    public ILocator Player(int index) => Page.Locator(".synth-notebook-player").Nth(index);

    /// <summary>Clicks Play on player <paramref name="index"/> and waits until it is connected and playing.</summary>
    public async Task PlayAsync(int index = 0)
    {
        await Player(index).Locator("button[data-action=play]").ClickAsync();
        await WaitForAsync(index, "s => s.connected && s.blocksReceived > 0");
    }

    /// <summary>The player's live statistics (its <c>stats</c> getter).</summary>
    public async Task<PlayerStats> StatsAsync(int index = 0)
    {
        var json = await Player(index).EvaluateAsync<string>("root => JSON.stringify(root.synthPlayer.stats)");
        return JsonSerializer.Deserialize<PlayerStats>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>Waits (bounded) until a predicate over the player's stats holds.</summary>
    public async Task WaitForAsync(int index, string predicate, float timeoutMs = 15_000)
    {
        var handle = await Player(index).ElementHandleAsync();
        try
        {
            await Page.WaitForFunctionAsync($"root => ({predicate})(root.synthPlayer.stats)", handle,
                new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 20 });
        }
        catch (TimeoutException ex)
        {
            var stats = await Player(index).EvaluateAsync<string>("root => JSON.stringify(root.synthPlayer.stats)");
            throw new TimeoutException($"Player {index} never satisfied {predicate}. Stats: {stats}. Console: {string.Join(" | ", Console)}", ex);
        }
    }

    /// <summary>Waits until the page has exactly <paramref name="count"/> SynthNotebook charts, each drawn by plotly.js.</summary>
    public async Task WaitForChartsAsync(int count, float timeoutMs = 30_000)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                $"() => {{ const charts = [...document.querySelectorAll('.synthnotebook-chart')]; return charts.length === {count} && charts.every(c => c.querySelector('svg.main-svg .scatterlayer .trace')); }}",
                null, new() { Timeout = timeoutMs, PollingInterval = 100 });
        }
        catch (TimeoutException ex)
        {
            var texts = await Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.synthnotebook-chart')].map(c => c.textContent)");
            throw new TimeoutException($"Charts did not draw: [{string.Join(" | ", texts)}]; console: {string.Join(" | ", Console)}", ex);
        }
    }

    /// <summary>Frames the recorder of capture <paramref name="index"/> holds now.</summary>
    public Task<int> CapturedFramesAsync(int index = 0)
        => Page.EvaluateAsync<int>($"() => window.__synthCaptures[{index}].frames");

    /// <summary>Waits until the recorder has captured <paramref name="seconds"/> more of audio than it holds now.</summary>
    public async Task CaptureMoreAsync(int index, double seconds, int sampleRate, float timeoutMs = 60_000)
        => await WaitForCaptureAsync(index, await CapturedFramesAsync(index) + (int)(seconds * sampleRate), timeoutMs);

    /// <summary>
    /// Closes the measurement window of capture <paramref name="index"/> <paramref name="seconds"/> of audio from now
    /// (the page stops keeping audio there by itself) and waits until it has closed.
    /// </summary>
    public Task CaptureWindowAsync(int index, double seconds, int sampleRate) => CaptureWindowsAsync([index], seconds, sampleRate);

    /// <summary>As <see cref="CaptureWindowAsync"/>, for several captures whose windows are set at the same moment.</summary>
    public async Task CaptureWindowsAsync(int[] indices, double seconds, int sampleRate, float timeoutMs = 60_000)
    {
        var ends = await Page.EvaluateAsync<int[]>(
            $"(indices) => indices.map(i => {{ const end = window.__synthCaptures[i].frames + {(int)(seconds * sampleRate)}; window.__synthCaptureUntil(i, end); return end; }})",
            indices);
        foreach (var (index, end) in indices.Zip(ends))
        {
            await WaitForCaptureAsync(index, end, timeoutMs);
        }
    }

    /// <summary>
    /// Closes the windows of <paramref name="indices"/> once each player has played <paramref name="seconds"/> of the
    /// stream itself (its ring's count, silences not included), plus a little: a busy machine's underrun silence then
    /// costs the capture nothing. A wait for a state, bounded by <paramref name="timeoutMs"/>.
    /// </summary>
    public async Task CaptureStreamAsync(int[] indices, double seconds, int sampleRate, float timeoutMs = 60_000)
    {
        foreach (var index in indices)
        {
            await WaitForAsync(index, $"s => s.played >= {(int)Math.Ceiling(seconds * sampleRate)}", timeoutMs);
        }
        await CaptureWindowsAsync(indices, 0.1, sampleRate, timeoutMs);
    }

    /// <summary>Waits until the recorder of capture <paramref name="index"/> holds at least <paramref name="frames"/> frames.</summary>
    public async Task WaitForCaptureAsync(int index, int frames, float timeoutMs = 30_000)
        => await Page.WaitForFunctionAsync($"() => window.__synthCaptures[{index}] && window.__synthCaptures[{index}].frames >= {frames}",
            null, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 50 });

    /// <summary>The samples the recorder saw (what was played) up to now, which ends its window, pulled into C#.</summary>
    public async Task<Capture> CaptureAsync(int index = 0)
    {
        var frames = await Page.EvaluateAsync<int>($"() => window.__synthCaptureFreeze({index})");
        var samples = await CapturedSamplesAsync(index, 0, frames);
        var startFrame = await Page.EvaluateAsync<long>($"() => window.__synthCaptures[{index}].startFrame");
        var moves = await Page.EvaluateAsync<long[]>($"() => window.__synthCaptures[{index}].moves");
        var skips = await Page.EvaluateAsync<long[][]>($"() => window.__synthCaptures[{index}].skips");
        var sampleRate = await Page.EvaluateAsync<int>($"() => window.__synthCaptures[{index}].context.sampleRate");
        return new Capture(samples, sampleRate, startFrame, moves, [.. skips.Select(s => (s[0], s[1]))]);
    }

    /// <summary>
    /// <paramref name="count"/> samples the recorder of capture <paramref name="index"/> holds from
    /// <paramref name="from"/> on, pulled into C# in chunks; its window stays as it is.
    /// </summary>
    public async Task<float[]> CapturedSamplesAsync(int index, int from, int count)
    {
        var samples = new float[count];
        const int Chunk = 1 << 16;
        for (var offset = 0; offset < count; offset += Chunk)
        {
            var length = Math.Min(Chunk, count - offset);
            var base64 = await Page.EvaluateAsync<string>($"() => window.__synthCaptureBase64({index}, {from + offset}, {length})");
            var bytes = Convert.FromBase64String(base64);
            Buffer.BlockCopy(bytes, 0, samples, offset * sizeof(float), bytes.Length);
        }
        return samples;
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private static string LoadScript(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"SynthNotebook.BrowserTests.TestPages.{name}")
            ?? throw new InvalidOperationException($"Test page script {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>The player's <c>stats</c> as JSON.</summary>
public sealed record PlayerStats(bool Connected, double SampleRate, int BlockSize, double BufferedMs, double TargetMs,
    int Underruns, int Late, int Overflows, int BlocksReceived, double[] LatenciesMs, int ChangesHeard, string Status,
    double[] RoundTripMs, string Mode, int Skipped, double FloorMs, int Reconnects, int Retries, bool ServerStopped,
    int Concealed, string CushionWhy, int Rewinds, int RewindsLate, double[][] LateSplices, long[][] RewindLog);

/// <summary>What the recorder captured: samples in play order, the audio frame of the first, and slider-move frames.</summary>
public sealed record Capture(float[] Samples, int SampleRate, long StartFrame, long[] MoveFrames, (long Index, long Frames)[] Skips)
{
    /// <summary>The audio frame at which capture sample <paramref name="index"/> was played: quanta the audio thread skipped count.</summary>
    public long FrameAt(long index) => StartFrame + index + Skips.Where(s => s.Index <= index).Sum(s => s.Frames);
}
