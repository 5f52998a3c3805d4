using SynthNotebook.Processing;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Synthesis;
using Xunit.Abstractions;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// Microphone → the server's chain → speakers, on the server's own /duplex page, with Chromium's fake microphone
/// playing <see cref="MicrophoneBrowserFixture.Signal"/> (440 Hz and 5 kHz, −12 dBFS each). What the player PLAYED is
/// compared with what the microphone said.
/// </summary>
[Collection(MicrophoneBrowserCollection.Name)]
public sealed class MicrophoneTests(MicrophoneBrowserFixture browser, ITestOutputHelper output)
{
    private const int Rate = MicrophoneBrowserFixture.SampleRate;
    private const int Window = 1 << 15;

    [Fact]
    public async Task PassThroughPlaysTheMicrophoneBackAtItsFrequenciesAndLevels()
    {
        var played = await PlayThroughAsync(AudioChain.PassThrough);

        foreach (var hz in new[] { MicrophoneBrowserFixture.LowHz, MicrophoneBrowserFixture.HighHz })
        {
            var expectedBin = Spectrum.HzToBin(hz, Window, Rate);
            var peak = Spectrum.PeakBin(Spectrum.Magnitudes(played), expectedBin - 4, expectedBin + 4);
            Assert.InRange(peak, expectedBin - 1, expectedBin + 1);
            Assert.InRange(LevelChange(played, hz), -1, 1);
        }
    }

    [Fact]
    public async Task AGainOfAHalfPlaysSixDecibelsLower()
    {
        var played = await PlayThroughAsync(AudioChain.PassThrough.Gain(0.5));

        Assert.InRange(LevelChange(played, MicrophoneBrowserFixture.LowHz), -7.02, -5.02);
        Assert.InRange(LevelChange(played, MicrophoneBrowserFixture.HighHz), -7.02, -5.02);
    }

    [Fact]
    public async Task ALowPassAt500HzTakesTheFiveKilohertzToneDownByAtLeast30Decibels()
    {
        var played = await PlayThroughAsync(AudioChain.PassThrough.LowPass(500));

        var change = LevelChange(played, MicrophoneBrowserFixture.HighHz);
        output.WriteLine($"5 kHz through LowPass(500): {change:0.0} dB");
        Assert.True(change <= -30, $"the 5 kHz tone only lost {change:0.0} dB");
        Assert.InRange(LevelChange(played, MicrophoneBrowserFixture.LowHz), -3, 0.5);
    }

    [Fact]
    public async Task SwappingTheChainMidStreamLeavesNoGapAndNoClick()
    {
        await using var server = await StartServerAsync(AudioChain.PassThrough);
        await using var page = await PlayerPage.OpenDuplexPageAsync(browser.Browser, server);
        await StartAsync(page);
        // A swap is judged in a window the player did not underrun in: an underrun's silence (a busy machine) says
        // nothing of the swap, so such a window is set aside and the chain swapped again, up to a bound.
        const int Attempts = 5;
        int before = 0;
        double gain = 1;
        var judged = false;
        var setAside = new List<string>();
        for (var attempt = 0; attempt < Attempts && !judged; attempt++)
        {
            await WaitForSteadyPlayAsync(page, seconds: 0.6);   // past the start-up's underruns and backlog trim
            var statsBefore = await page.StatsAsync();
            before = await page.CapturedFramesAsync();
            gain = attempt % 2 == 0 ? 0.5 : 1;
            server.Chain = AudioChain.PassThrough.Gain(gain);
            await page.CaptureMoreAsync(0, 1.0, Rate);
            var statsAfter = await page.StatsAsync();
            judged = statsBefore.Underruns == statsAfter.Underruns;
            if (!judged)
            {
                setAside.Add($"before: {statsBefore.Status}; after: {statsAfter.Status}");
            }
        }
        Assert.True(judged, $"every one of {Attempts} swaps had an underrun in its window: {string.Join(" | ", setAside)}");
        await WaitForSteadyPlayAsync(page, seconds: (double)Window / Rate + 0.05);   // the level is read at the end
        var capture = await page.CaptureAsync();

        // (A trim of a standing backlog may fall in this second: it is cross-faded, so the checks below still hold.)
        var around = capture.Samples.AsSpan(before - Rate / 2, Rate);  // half a second either side of the swap
        Assert.True(LongestSilence(around) < 16, $"a gap of {LongestSilence(around)} silent samples around the swap");
        var largestStep = MaxStep(around);
        var inputStep = MaxStep(MicrophoneBrowserFixture.Signal.AsSpan(0, Rate));
        Assert.True(largestStep <= inputStep * 1.25, $"a step of {largestStep} (the microphone's largest is {inputStep})");
        var expectedDb = 20 * Math.Log10(gain);
        Assert.InRange(LevelChange(capture.Samples[^Window..], MicrophoneBrowserFixture.LowHz), expectedDb - 1, expectedDb + 1);
    }

    [Fact]
    public async Task TheMicrophoneAsTheServersSourceIsHeardByAnotherPlayerAtItsOwnRate()
    {
        // Player 0 sends the microphone (48 kHz); player 1 plays the server's source, the microphone input, at 44.1 kHz.
        const int ListenerRate = 44_100;
        await using var server = await StartServerAsync(AudioChain.PassThrough);
        server.Source = server.MicrophoneInput;
        await using var page = await PlayerPage.OpenAsync(browser.Browser, server.Microphone.Html(),
            PlayerWidget.Html(server, new PlayerOptions { SampleRate = ListenerRate }));
        await StartAsync(page);
        await page.PlayAsync(1);
        await page.WaitForAsync(1, $"s => s.status.endsWith('playing {server.MicrophoneInput.Name}')");
        // Judged in a window where neither the player nor the microphone input ran dry (a busy machine's hiccup, on
        // either way, says nothing of what is heard); such a window is set aside and another taken, up to a bound.
        float[]? played = null;
        for (var attempt = 0; attempt < 5 && played is null; attempt++)
        {
            var (underruns, restarts) = (server.MicrophoneSignal.Underruns, server.MicrophoneSignal.Restarts);
            await WaitForSteadyPlayAsync(page, seconds: (double)Window / ListenerRate + 0.05, index: 1, rate: ListenerRate);
            var samples = await page.CapturedSamplesAsync(1, await page.CapturedFramesAsync(1) - Window, Window);
            played = (server.MicrophoneSignal.Underruns, server.MicrophoneSignal.Restarts) == (underruns, restarts) ? samples : null;
            output.WriteLine($"{(await page.StatsAsync(1)).Status}; {server.MicrophoneSignal}");
        }
        Assert.NotNull(played);
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "microphone-as-source.png"), FullPage = true });

        var magnitudes = Spectrum.Magnitudes(played);
        foreach (var hz in new[] { MicrophoneBrowserFixture.LowHz, MicrophoneBrowserFixture.HighHz })
        {
            var expectedBin = Spectrum.HzToBin(hz, Window, ListenerRate);
            Assert.InRange(Spectrum.PeakBin(magnitudes, expectedBin - 4, expectedBin + 4), expectedBin - 1, expectedBin + 1);
            // The tone's amplitude, within 3 dB: a loaded machine's capture drops a quantum now and then (a phase jump
            // in the window, which costs this estimate up to ~2 dB at 5 kHz); the exact level and pitch through the
            // conversion are LiveInputTests' to judge, with clocks that do not depend on the machine.
            var level = 20 * Math.Log10(Spectrum.MagnitudeNear(magnitudes, hz, 2.0 * ListenerRate / Window, Window, ListenerRate)
                                        / MicrophoneBrowserFixture.Amplitude);
            output.WriteLine($"{hz} Hz at {level:0.00} dB");
            Assert.InRange(level, -3, 0.5);
        }
        Assert.True(server.MicrophoneSignal.IsFed);
        Assert.Equal(Rate, server.MicrophoneSignal.SampleRate);
    }

    [Fact]
    public async Task HearItHereOffSilencesThePagesPlaybackOnBringsItBackAndTheScopeShowsItEitherWay()
    {
        await using var server = await StartServerAsync(AudioChain.PassThrough);
        await using var page = await PlayerPage.OpenDuplexPageAsync(browser.Browser, server);
        await StartAsync(page);
        var box = page.Player(0).Locator("input[name=monitor]");
        Assert.True(await box.IsCheckedAsync(), "the page plays the microphone back unless told not to");

        // Each time: the gain has glided there, then 0.4 s more is recorded and its last 0.2 s judged (recorded after
        // the change, whatever the recorder's messages lag).
        await box.UncheckAsync();
        await page.Player(0).EvaluateAsync("root => new Promise(done => { const wait = () => root.synthPlayer.graph.monitorGain.gain.value < 1e-4 ? done() : setTimeout(wait, 10); wait(); })");
        var off = await LastPlayedAsync(page, seconds: 0.2);
        Assert.True(off.Max(Math.Abs) < 1e-4, $"muted, yet {off.Max(Math.Abs)} played");
        var scope = await page.Player(0).EvaluateAsync<double>(
            "root => { const a = root.synthPlayer.scopes[1].analyser; const d = new Float32Array(a.fftSize); a.getFloatTimeDomainData(d); return Math.max(...Array.from(d, Math.abs)); }");
        Assert.True(scope > 0.3, $"the output scope still sees the processed microphone ({scope})");

        await box.CheckAsync();
        await page.Player(0).EvaluateAsync("root => new Promise(done => { const wait = () => root.synthPlayer.graph.monitorGain.gain.value > 0.9999 ? done() : setTimeout(wait, 10); wait(); })");
        var on = await LastPlayedAsync(page, seconds: 0.2);
        Assert.True(on.Max(Math.Abs) > 0.3, $"played back again, yet at most {on.Max(Math.Abs)}");
    }

    [Fact]
    public async Task APageToldNotToMonitorStartsWithTheBoxUntickedAndPlaysNothingBack()
    {
        await using var server = await StartServerAsync(AudioChain.PassThrough);
        server.PageOptions = server.PageOptions with { MonitorMicrophone = false };
        await using var page = await PlayerPage.OpenDuplexPageAsync(browser.Browser, server);
        await StartAsync(page);

        Assert.False(await page.Player(0).Locator("input[name=monitor]").IsCheckedAsync());
        var played = await LastPlayedAsync(page, seconds: 0.2);
        Assert.True(played.Max(Math.Abs) < 1e-4, $"told not to monitor, yet {played.Max(Math.Abs)} played");
        Assert.True((await page.StatsAsync()).RoundTripMs.Length >= 50, "the microphone still goes to the server and back");
    }

    private static async Task<float[]> LastPlayedAsync(PlayerPage page, double seconds)
    {
        await page.CaptureMoreAsync(0, 2 * seconds, Rate);
        var frames = await page.CapturedFramesAsync();
        var count = (int)(seconds * Rate);
        return await page.CapturedSamplesAsync(0, frames - count, count);
    }

    [Fact]
    public async Task TheStatusLineShowsTheRoundTripFromMicrophoneToSpeakers()
    {
        await using var server = await StartServerAsync(AudioChain.PassThrough, new PlayerOptions().DuplexLatencyMs);
        await using var page = await PlayerPage.OpenDuplexPageAsync(browser.Browser, server);
        await StartAsync(page);

        var stats = await page.StatsAsync();
        output.WriteLine($"round trip (ms): p50 {Percentile(stats.RoundTripMs, 0.5):0.0}, p95 {Percentile(stats.RoundTripMs, 0.95):0.0}; {stats.Status}");
        Assert.Contains("mic→out p50", stats.Status);
        // The devices' own latency, which the round trip leaves out, is shown beside it (the browser's estimate).
        var parts = await page.Player(0).EvaluateAsync<double[]>(
            "root => { const p = root.synthPlayer; return [p.context.baseLatency, p.context.outputLatency, p.graph.stream.getAudioTracks()[0].getSettings().latency ?? 0, p.graph.deviceLatencyMs()]; }");
        output.WriteLine($"devices: base {parts[0] * 1000:0.0} ms, output {parts[1] * 1000:0.0} ms, input {parts[2] * 1000:0.0} ms");
        Assert.True(parts[3] > 0, $"device latency {parts[3]} ms");
        Assert.Equal((parts[0] + parts[1] + parts[2]) * 1000, parts[3], 6);
        Assert.Contains("(+ devices ~", stats.Status);
        // At least a block's length (it has to be captured whole) and less than the ring (2 s) can hold.
        Assert.All(stats.RoundTripMs, ms => Assert.InRange(ms, 256 * 1000.0 / Rate, 2000));
        var checkedBoxes = await page.Page.EvalOnSelectorAllAsync<int>("input[type=checkbox]:not([name=monitor]):checked", "boxes => boxes.length");
        Assert.Equal(0, checkedBoxes);   // echo cancellation, noise suppression and auto gain: off by default
        Assert.True(await page.Player(0).Locator("input[name=monitor]").IsCheckedAsync(), "and the page plays it back");
    }

    [Fact]
    public async Task TheBrowsersVoiceProcessingIsOffUnlessTickedAndTickingTurnsItOn()
    {
        const string RecordConstraints = """
            const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
            window.__microphoneRequests = [];
            navigator.mediaDevices.getUserMedia = (constraints) => {
              window.__microphoneRequests.push(JSON.stringify(constraints.audio));
              return realGetUserMedia(constraints);
            };
            """;
        await using var server = await StartServerAsync(AudioChain.PassThrough);
        await using var page = await PlayerPage.OpenDuplexPageAsync(browser.Browser, server, RecordConstraints);

        await page.PlayAsync();
        await page.Player(0).Locator("button[data-action=stop]").ClickAsync();
        await page.Player(0).Locator("input[name=echoCancellation]").CheckAsync();
        await page.Player(0).Locator("input[name=autoGainControl]").CheckAsync();
        await page.PlayAsync();

        var requests = await page.Page.EvaluateAsync<string[]>("() => window.__microphoneRequests");
        Assert.Equal(2, requests.Length);
        Assert.Equal("""{"channelCount":1,"echoCancellation":false,"noiseSuppression":false,"autoGainControl":false}""", requests[0]);
        Assert.Equal("""{"channelCount":1,"echoCancellation":true,"noiseSuppression":false,"autoGainControl":true}""", requests[1]);
    }

    [Fact]
    public async Task TheScopesDrawTheMicrophoneAndTheOutput()
    {
        await using var server = await StartServerAsync(AudioChain.PassThrough.Gain(0.5));
        await using var page = await PlayerPage.OpenDuplexPageAsync(browser.Browser, server);
        await StartAsync(page);

        // Pixels of the trace's blue (antialiased: blue well above red) on each half of each canvas: the waveform (left)
        // and the spectrum (right).
        const string TracePixels = """
            canvas => {
              const g = canvas.getContext('2d');
              const count = (x) => { const d = g.getImageData(x, 0, canvas.width / 2 - 4, canvas.height).data; let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i + 2] > d[i] + 60) n++; return n; };
              return [count(0), count(canvas.width / 2 + 2)];
            }
            """;
        foreach (var scope in new[] { "microphone", "output" })
        {
            var canvas = page.Player(0).Locator($"canvas[data-scope={scope}]");
            await page.Page.WaitForFunctionAsync($"c => ({TracePixels})(c).every(n => n > 200)", await canvas.ElementHandleAsync(),
                new() { Timeout = 10_000, PollingInterval = 100 });
        }
    }

    /// <summary>
    /// A server whose /duplex page plays at the microphone's rate. Level tests take a thick cushion (they check the
    /// chain's effect through the whole path, not latency), so a busy CI machine's hiccup cannot smear their window.
    /// </summary>
    private static async Task<SynthServer> StartServerAsync(AudioChain chain, double cushionMs = 120)
    {
        var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        server.PageOptions = new PlayerOptions { SampleRate = Rate, DuplexLatencyMs = cushionMs };
        server.Chain = chain;
        return server;
    }

    /// <summary>Plays the microphone through <paramref name="chain"/>; returns the last <see cref="Window"/> samples played.</summary>
    private async Task<float[]> PlayThroughAsync(AudioChain chain)
    {
        await using var server = await StartServerAsync(chain);
        await using var page = await PlayerPage.OpenDuplexPageAsync(browser.Browser, server);
        await StartAsync(page);
        await WaitForSteadyPlayAsync(page, seconds: (double)Window / Rate + 0.05);
        var capture = await page.CaptureAsync();
        output.WriteLine((await page.StatsAsync()).Status);
        return capture.Samples[^Window..];
    }

    private static async Task StartAsync(PlayerPage page)
    {
        await page.PlayAsync();
        await page.WaitForAsync(0, "s => s.roundTripMs.length >= 50", timeoutMs: 20_000);
    }

    /// <summary>
    /// Waits until the player has played <paramref name="seconds"/> in a row without an underrun or a skip (its start-up
    /// may have either: the first blocks race the audio thread's start, and a backlog left by it is trimmed once).
    /// </summary>
    private static async Task WaitForSteadyPlayAsync(PlayerPage page, double seconds, int index = 0, int rate = Rate)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var before = await page.StatsAsync(index);
            await page.CaptureMoreAsync(index, seconds, rate);
            var after = await page.StatsAsync(index);
            if (before.Underruns == after.Underruns && before.Skipped == after.Skipped)
            {
                return;
            }
        }
        throw new Xunit.Sdk.XunitException($"Never {seconds:0.0} s of steady play in 8 tries: {(await page.StatsAsync(index)).Status}");
    }

    /// <summary>How much louder (dB) <paramref name="hz"/> is in <paramref name="played"/> than in the microphone's signal.</summary>
    private static double LevelChange(float[] played, double hz)
    {
        var reference = Spectrum.Magnitudes(MicrophoneBrowserFixture.Signal.AsSpan(0, played.Length));
        var heard = Spectrum.Magnitudes(played);
        var n = played.Length;
        return 20 * Math.Log10(Spectrum.MagnitudeNear(heard, hz, 2 * Rate / (double)n, n, Rate)
                               / Spectrum.MagnitudeNear(reference, hz, 2 * Rate / (double)n, n, Rate));
    }

    private static int LongestSilence(ReadOnlySpan<float> samples)
    {
        int longest = 0, run = 0;
        foreach (var sample in samples)
        {
            run = Math.Abs(sample) < 1e-4f ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    private static float MaxStep(ReadOnlySpan<float> samples)
    {
        var largest = 0f;
        for (var i = 1; i < samples.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(samples[i] - samples[i - 1]));
        }
        return largest;
    }

    private static double Percentile(double[] values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * fraction))];
    }
}
