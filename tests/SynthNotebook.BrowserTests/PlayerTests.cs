using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Synthesis;
using Xunit.Abstractions;

namespace SynthNotebook.BrowserTests;

/// <summary>The widget in a real Chromium: what it PLAYED, captured by a recorder before the speakers.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PlayerTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const int BlockSize = 256;   // PlayerOptions' default

    [Theory]
    [InlineData(44_100)]
    [InlineData(48_000)]
    public async Task PlaysTheStreamSampleExactAtTheRightPitch(int sampleRate)
    {
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        await using var page = await PlayerPage.OpenAsync(browser.Browser,
            PlayerWidget.Html(server, new PlayerOptions { SampleRate = sampleRate }));

        await page.PlayAsync();
        await page.CaptureStreamAsync([0], 3.05, sampleRate);
        // Exactness and pitch (continuity is the steady-play test's): an underrun's silence on a busy machine is cut out.
        var (capture, stream) = await AssertPlayedExactlyAsync(page, 0, seconds: 3, allowUnderrunGaps: true);

        Assert.Equal(sampleRate, capture.SampleRate);
        var window = stream.AsSpan(0, 1 << 17 <= stream.Length ? 1 << 17 : 1 << 16);
        var magnitudes = Spectrum.Magnitudes(window);
        foreach (var frequency in new[] { 200.0, 250, 300, 350, 400 })
        {
            var expected = Spectrum.HzToBin(frequency, window.Length, sampleRate);
            var peak = Spectrum.PeakBin(magnitudes, expected - 3, expected + 3);
            Assert.InRange(peak, expected - 1, expected + 1);
        }
    }

    // At the default cushion (200 ms: the server rewinds, so a change is heard ahead of what is queued), and at the
    // thin floor a stream the server could not rewind would need for its latency (24 ms): the bound is the same.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SliderMovesChangeThePlayedFrequencyWithinBoundedLatency(bool thin)
    {
        const int SampleRate = 48_000;
        var synth = new Synth();
        await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = 0 });
        var options = thin
            ? new PlayerOptions { SampleRate = SampleRate, RewoundCushionMs = 0 }
            : new PlayerOptions { SampleRate = SampleRate };
        await using var page = await PlayerPage.OpenAsync(browser.Browser, PlayerWidget.Html(server, options));
        await page.PlayAsync();
        // Moves are timed in steady use: once the cushion has come down to its floor, and after 3 s of play (the thick
        // default is at its floor from the start, when the page, Chromium and the server's first blocks still share
        // the two cores; a first rewind then came 128 ms late in a CI run).
        await page.WaitForAsync(0, $"s => s.targetMs <= s.floorMs + 0.5 && s.played >= {3 * SampleRate}", timeoutMs: 20_000);

        // Click the first frequency slider at several positions, as a person would; the server's synth says
        // which frequency each click sent.
        var slider = page.Player(0).Locator("input[name=frequency-0]");
        var box = (await slider.BoundingBoxAsync())!;
        var sent = new List<double>();
        foreach (var fraction in new[] { 0.62, 0.48, 0.70, 0.55, 0.66, 0.45, 0.60, 0.52 })
        {
            var before = synth.Parameters.Version;
            await page.Page.Mouse.ClickAsync(box.X + box.Width * (float)fraction, box.Y + box.Height / 2);
            await WaitUntilAsync(() => synth.Parameters.Version > before);
            sent.Add(synth.GetFrequency(0));
            await page.CaptureMoreAsync(0, 0.25, SampleRate);
        }
        await page.CaptureWindowAsync(0, 0.5, SampleRate);
        var capture = await page.CaptureAsync();
        Assert.Equal(sent.Count, capture.MoveFrames.Length);

        // Find, change by change, the block at which each took effect, and check the whole stream against a render
        // with the changes at those blocks. The moves are timed at the page's cushion floor, so a busy machine may
        // underrun here (the steady-play test is the one that forbids it): its silence is cut from the stream, and
        // latency is counted in audio frames, gap included, as the listener hears it. Each change comes by a rewind
        // (the queued blocks rendered again from just ahead of the playing position); one that came after its start
        // had played was spliced where the ring was, fading over a quantum from the old stream to the new: the player
        // says where, the change is then at the rewind's first block, and it is heard from the splice.
        var stats = await page.StatsAsync();
        var lateSplices = stats.LateSplices.Select(s => (At: (int)s[0], From: (int)s[1])).ToArray();
        var changes = new List<FrequencyChange>();
        var excused = new List<(int From, int Length)>();
        var reference = PlayedAudio.Reference(SampleRate, BlockSize, capture.Samples.Length);
        var start = PlayedAudio.FindStart(capture.Samples, reference);
        var latencies = new List<double>();
        float[] stream;
        Gap[] gaps;
        foreach (var (frequency, move) in sent.Zip(capture.MoveFrames))
        {
            // An underrun's fades are undone against the stream as known so far (the changes found up to here).
            (stream, gaps) = CutGapsAndSplices(start);
            var changedAt = PlayedAudio.FirstMismatch(stream, 0, reference);
            Assert.True(changedAt >= 0, $"the change to {frequency} Hz was never heard");
            var splice = lateSplices.FirstOrDefault(s => changedAt >= s.At && changedAt < s.At + PlayedAudio.Quantum);
            var spliced = splice != default;
            if (spliced)
            {
                // Up to the splice it played the stream before the change (FirstMismatch says so); from the end of the
                // fade on it must play the stream with the change at the rewind's first block.
                excused.Add((splice.From, splice.At + PlayedAudio.Quantum - splice.From));
            }
            changes.Add(new FrequencyChange((spliced ? splice.From : changedAt) / BlockSize, 0, frequency));
            // With the thick cushion it came by a rewind that replaced blocks already queued: it did not wait behind
            // the cushion. (At the thin one there may be nothing queued past where a rewind could start.)
            Assert.True(thin || stats.RewindLog.Any(r => r[0] == changes[^1].Block && r[0] < r[1]),
                $"the change to {frequency} Hz took effect at block {changes[^1].Block}, where no rewind began: [{string.Join(", ", stats.RewindLog.Select(r => $"{r[0]}<{r[1]}"))}]; {stats}");
            reference = PlayedAudio.Reference(SampleRate, BlockSize, capture.Samples.Length, changes);
            var heardFrame = capture.FrameAt(PlayedAudio.CaptureIndex(start, changedAt, gaps));
            var latencyMs = (heardFrame - move) * 1000.0 / SampleRate;
            latencies.Add(latencyMs);
            // The move's frame is the last the page knew rendered at the move (recorder.js), so the change cannot
            // be heard before it. The 100 ms bound is a real-time claim for a machine running only this suite (CI);
            // the player benchmark reports the latency, quiet and loaded.
            Assert.True(latencyMs >= 0 && latencyMs <= 100,
                $"change to {frequency} Hz: moved at frame {move}, heard at frame {heardFrame} ({latencyMs:0.0} ms); " +
                $"capture start {start}, start frame {capture.StartFrame}, gaps [{string.Join(", ", gaps)}], skipped quanta [{string.Join(", ", capture.Skips)}]; {stats}; " +
                $"changes at blocks [{string.Join(", ", changes.Select(c => c.Block))}], found at {changedAt}; rewinds [{string.Join(", ", stats.RewindLog.Select(r => $"{r[0]}<{r[1]}"))}], late splices [{string.Join(", ", lateSplices)}]; " +
                $"played from there: [{string.Join(", ", capture.Samples.Skip(PlayedAudio.CaptureIndex(start, changedAt, gaps) - 2).Take(8).Select(v => v.ToString("G6")))}], " +
                $"the stream: [{string.Join(", ", reference.Skip(changedAt - 2).Take(8).Select(v => v.ToString("G6")))}]");
        }
        (stream, gaps) = CutGapsAndSplices(start);
        Assert.Equal(0, PlayedAudio.Mismatches(stream, 0, reference));

        // The stream as played, gaps cut, with each late splice (the old stream up to it, then a fade judged by the
        // ring's own tests) taken as the stream with the change.
        (float[] Stream, Gap[] Gaps) CutGapsAndSplices(int from)
        {
            var (played, cut) = PlayedAudio.CutGaps(capture.Samples, from, reference);
            foreach (var (at, length) in excused)
            {
                Array.Copy(reference, at, played, at, Math.Min(length, played.Length - at));
            }
            return (played, cut);
        }

        var tail = stream.AsSpan(stream.Length - (1 << 14));
        var magnitudes = Spectrum.Magnitudes(tail);
        var expected = Spectrum.HzToBin(sent[^1], tail.Length, SampleRate);
        Assert.InRange(Spectrum.PeakBin(magnitudes, expected - 3, expected + 3), expected - 1, expected + 1);

        latencies.Sort();
        output.WriteLine($"slider→sound latency over {latencies.Count} moves: median {latencies[latencies.Count / 2]:0.0} ms, " +
                         $"max {latencies[^1]:0.0} ms; player's own estimate: " +
                         string.Join(", ", (await page.StatsAsync()).LatenciesMs.Select(l => l.ToString("0"))) +
                         $"; underrun gaps cut: {gaps.Length}; rewinds {stats.Rewinds}, late {stats.RewindsLate}");
    }

    [Fact]
    public async Task TwentySecondsOfSteadyPlayHaveNoUnderrunAndNoGap()
    {
        const int SampleRate = 48_000;
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        // The default cushion: 200 ms, since the server rewinds (a change is heard ahead of it). On the shared 2-core
        // machines CI runs on, noisy spells come when the page's Worker receives blocks 20–25 ms after the server sent
        // them on time (traced 2026-11-30), and this VM stalls 100–170 ms a few times a minute; a thin cushion
        // underruns in them (the player benchmark reports the rates: benchmarks/README.md). What this test proves is
        // that steady play itself never starves: pace, ring and cushion hold a stream for 20 s without one gap,
        // sample-exact. A real-time claim: it holds on this machine with nothing else running (CI runs the suite alone,
        // one test assembly at a time).
        await using var page = await PlayerPage.OpenAsync(browser.Browser,
            PlayerWidget.Html(server, new PlayerOptions { SampleRate = SampleRate }));
        await page.PlayAsync();
        // Steady state: the start-up cushion has thinned to the floor (a fresh page's start shares two cores with
        // Chromium starting it, and is what the thick start-up cushion is for).
        await page.WaitForAsync(0, "s => s.targetMs <= s.floorMs", timeoutMs: 20_000);
        var steadyFrom = await page.CapturedFramesAsync();
        await page.CaptureWindowAsync(0, 20.2, SampleRate);

        // What was played in the window is the proof: 20 s of the stream with no gap (an underrun would leave one)
        // and no sample out of place.
        var capture = await page.CaptureAsync();
        var reference = PlayedAudio.Reference(SampleRate, BlockSize, capture.Samples.Length);
        var stats = await page.StatsAsync();
        var (_, gaps, start) = PlayedAudio.AssertPlayed(capture.Samples, reference, 20 * SampleRate, allowUnderrunGaps: true, $"{stats}");
        var steadyGaps = gaps.Where(gap => PlayedAudio.CaptureIndex(start, gap.StreamIndex, gaps) >= steadyFrom).ToArray();
        Assert.True(steadyGaps.Length == 0,
            $"underrun gaps in steady play, which began at capture frame {steadyFrom}: [{string.Join(", ", steadyGaps)}]; {stats}");
        Assert.True(capture.Samples.Length - steadyFrom >= 20 * SampleRate, $"the steady window held {capture.Samples.Length - steadyFrom} frames");
        output.WriteLine($"steady from {steadyFrom / (double)SampleRate:0.00} s; start-up gaps {gaps.Length - steadyGaps.Length}; " +
                         $"buffered {stats.BufferedMs:0.0} ms, target {stats.TargetMs:0.0} ms, floor {stats.FloorMs:0.0} ms, " +
                         $"late {stats.Late}, {stats.Status}");
    }

    [Fact]
    public async Task AStalledNetworkIsAConcealedDipNotAClickAndTheCushionGrowsThenThinsAgain()
    {
        const int SampleRate = 48_000;
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        // From the thin floor (no rewound cushion), where a 100 ms stall must run the ring dry.
        await using var page = await PlayerPage.OpenAsync(browser.Browser,
            PlayerWidget.Html(server, new PlayerOptions { SampleRate = SampleRate, RewoundCushionMs = 0 }));
        await page.PlayAsync();
        await page.WaitForAsync(0, "s => s.targetMs <= s.floorMs + 0.5", timeoutMs: 20_000);
        var calm = await page.StatsAsync();

        // 100 ms without a delivery, far more than the 24 ms cushion holds: the ring runs dry.
        await page.Player(0).EvaluateAsync("root => root.synthPlayer.stall(100)");
        await page.WaitForAsync(0, $"s => s.underruns > {calm.Underruns}");
        // The held blocks arrive 100 ms late: the cushion grows to outlast such a delivery.
        await page.WaitForAsync(0, "s => s.floorMs > 60");
        var stalled = await page.StatsAsync();
        await page.CaptureMoreAsync(0, 0.5, SampleRate);
        var capture = await page.CaptureAsync();

        // Every underrun was concealed, and the cushion grew at once, saying why.
        Assert.Equal(stalled.Underruns, stalled.Concealed);
        Assert.True(stalled.TargetMs > calm.TargetMs, $"the cushion grew: {calm.TargetMs:0.0} → {stalled.TargetMs:0.0} ms; {stalled.Status}");
        // What was played is the stream, sample for sample, apart from the silences (the fades around them undone to
        // the bit: PlayedAudio), and no sample is lost.
        var reference = PlayedAudio.Reference(SampleRate, BlockSize, capture.Samples.Length);
        var (_, gaps, start) = PlayedAudio.AssertPlayed(capture.Samples, reference, SampleRate, allowUnderrunGaps: true, $"{stalled}");
        // The silence is the stall less what the ring held when it began (the cushion and a group at most): the paced
        // server's blocks that piled up meanwhile refill it at once when the stall ends.
        Assert.True(gaps.Any(gap => gap.Length >= 0.02 * SampleRate), $"a gap of 20 ms or more among [{string.Join(", ", gaps)}]; {stalled}");
        // A dip, not a click: no step between neighbouring samples larger than the signal's own plus one ramp step (a
        // hard cut to silence would step by up to the signal's peak).
        var played = capture.Samples.AsSpan(start + PlayedAudio.Quantum);
        var peak = reference.Max(Math.Abs);
        Assert.InRange(LargestStep(played), 0, LargestStep(reference) + peak / PlayedAudio.Quantum + 1e-6);

        // And it thins again as the machine stays calm (the slow delivery's weight halves every 30 s).
        await page.WaitForAsync(0, $"s => s.targetMs < {(stalled.TargetMs - 10).ToString(System.Globalization.CultureInfo.InvariantCulture)}", timeoutMs: 40_000);
        var after = await page.StatsAsync();
        Assert.Equal(after.Underruns, after.Concealed);
        output.WriteLine($"calm {calm.TargetMs:0.0} ms → stalled {stalled.TargetMs:0.0} ms → {after.TargetMs:0.0} ms; gaps [{string.Join(", ", gaps)}]; {after.Status}");
    }

    private static double LargestStep(ReadOnlySpan<float> samples)
    {
        var largest = 0.0;
        for (var i = 1; i < samples.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(samples[i] - samples[i - 1]));
        }
        return largest;
    }

    [Fact]
    public async Task ReconnectsAfterTheServerRestartsAndStopReleasesEverything()
    {
        await using var first = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        var port = first.Port;
        await using var page = await PlayerPage.OpenAsync(browser.Browser, PlayerWidget.Html(first));
        await page.PlayAsync();

        // Re-running the server cell: a new server on the same port (it keeps the token). The player was told the old
        // one stopped (1001), and is back on the new one by itself: one reconnect, streaming, and saying so.
        await using var second = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port });
        await page.WaitForAsync(0, "s => s.connected && s.reconnects === 1 && s.blocksReceived > 10 && s.status.startsWith('connected')");
        await WaitUntilAsync(() => second.Statistics.Clients == 1);

        await page.Player(0).Locator("button[data-action=stop]").ClickAsync();
        await WaitUntilAsync(() => second.Statistics.Clients == 0);
        var stats = await page.StatsAsync();
        Assert.False(stats.Connected);
        Assert.StartsWith("stopped", stats.Status);
        Assert.Equal("closed", await page.Player(0).EvaluateAsync<string>("root => root.synthPlayer.context.state"));
        // The link (the Worker that owned the socket) is disposed once its socket reported the close.
        await page.Page.WaitForFunctionAsync("() => document.querySelector('.synth-notebook-player').synthPlayer.link === null");
        Assert.Equal(1, second.Statistics.Connections);
    }

    [Fact]
    public async Task SlidersShowTheSynthsOwnValuesNotTheNearestSliderStep()
    {
        var synth = new Synth(); // 200, 250, 300, 350, 400 Hz: none is a step of the logarithmic slider
        synth.Gain = 0.35;
        await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = 0 });
        await using var page = await PlayerPage.OpenAsync(browser.Browser, PlayerWidget.Html(server));
        string[] expected = ["200.0 Hz", "250.0 Hz", "300.0 Hz", "350.0 Hz", "400.0 Hz", "0.35"];

        Assert.Equal(expected, await page.Player(0).Locator("output").AllTextContentsAsync());
        await page.PlayAsync(); // the welcome's parameters set them again
        synth.SetFrequency(1, 260);
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll('.synth-notebook-player output')[1].textContent === '260.0 Hz'");
        Assert.Equal(["200.0 Hz", "260.0 Hz", "300.0 Hz", "350.0 Hz", "400.0 Hz", "0.35"], await page.Player(0).Locator("output").AllTextContentsAsync());
    }

    [Fact]
    public async Task AStoppedServerIsSaidSoWhileItIsAwayAndThePlayerIsBackWhenItStartsAgain()
    {
        var first = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        var port = first.Port;
        await using var page = await PlayerPage.OpenAsync(browser.Browser, PlayerWidget.Html(first));
        await page.PlayAsync();

        // The stop cell: the server closes with 1001; the retries that follow find nothing (1006) and the status still
        // says what happened, not a connection error.
        await first.StopAsync();
        await page.WaitForAsync(0, "s => !s.connected && s.serverStopped && s.retries >= 3");
        Assert.Equal("the server stopped: this player reconnects when it starts again", (await page.StatsAsync()).Status);

        // The server cell run again: the same port and token, and the player streams again by itself.
        await using var again = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port });
        await page.WaitForAsync(0, "s => s.connected && s.reconnects === 1 && s.blocksReceived > 5 && !s.serverStopped", 20_000);
        Assert.StartsWith("connected", (await page.StatsAsync()).Status);
    }

    [Fact]
    public async Task TwoPlayersOnOnePageEachPlayExactlyAndShareSliders()
    {
        const int SampleRate = 44_100;
        var synth = new Synth();
        await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = 0 });
        var options = new PlayerOptions { SampleRate = SampleRate };
        await using var page = await PlayerPage.OpenAsync(browser.Browser,
            PlayerWidget.Html(server, options), PlayerWidget.Html(server, options));
        await page.PlayAsync(0);
        await page.PlayAsync(1);
        await page.CaptureStreamAsync([0, 1], 2.05, SampleRate);

        // Two real-time players on two cores: this test is about each getting its own exact stream and the shared
        // sliders; an underrun's silence is cut (the single-player tests forbid it).
        await AssertPlayedExactlyAsync(page, 0, seconds: 2, allowUnderrunGaps: true);
        await AssertPlayedExactlyAsync(page, 1, seconds: 2, allowUnderrunGaps: true);

        // A gain move on the first player reaches the server and moves the second player's slider. The slider spans
        // the synth's own range, 0 to SynthLimits.MaxGain: a click at 15 % asks for about 0.6.
        var gain = page.Player(0).Locator("input[name=gain]");
        Assert.Equal("1000", await gain.GetAttributeAsync("max"));
        var box = (await gain.BoundingBoxAsync())!;
        await page.Page.Mouse.ClickAsync(box.X + box.Width * 0.15f, box.Y + box.Height / 2);
        await WaitUntilAsync(() => synth.Gain < 0.9);
        Assert.InRange(synth.Gain, 0.4, 0.8);
        var expected = (int)Math.Round(synth.Gain / SynthLimits.MaxGain * 1000);
        await page.Page.WaitForFunctionAsync(
            $"() => document.querySelectorAll('.synth-notebook-player')[1].querySelector('input[name=gain]').value === '{expected}'");
    }

    [Fact]
    public async Task TheServersOwnPagePlaysTheSameWay()
    {
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        using (var http = new HttpClient())
        {
            var refused = await http.GetAsync($"http://127.0.0.1:{server.Port}/");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await using var page = await PlayerPage.OpenServerPageAsync(browser.Browser, server);
        await page.PlayAsync();
        var sampleRate = (int)(await page.StatsAsync()).SampleRate;
        await page.CaptureStreamAsync([0], 3.05, sampleRate);

        // Order and exactness (continuity is the steady-play test's): an underrun's silence on a busy machine is cut out.
        await AssertPlayedExactlyAsync(page, 0, seconds: 3, allowUnderrunGaps: true);
        // Under the page's Content-Security-Policy: nothing the player needs was refused.
        Assert.DoesNotContain(page.Console, line => line.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhereNoWorkerCanBeMadeTheLinkRunsOnThePageAndPlaysTheSame()
    {
        const int SampleRate = 48_000;
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        await using var page = await PlayerPage.OpenAsync(browser.Browser,
            [PlayerWidget.Html(server, new PlayerOptions { SampleRate = SampleRate })],
            initScript: "window.Worker = function () { throw new Error('Workers are not allowed on this page'); };");
        await page.PlayAsync();
        await page.CaptureStreamAsync([0], 3.05, SampleRate);

        // Its subject is order and exactness, not continuity: an underrun's silence on a busy machine is cut out.
        await AssertPlayedExactlyAsync(page, 0, seconds: 3, allowUnderrunGaps: true);
    }

    [Fact]
    public async Task WhereNoAudioWorkletExistsAScriptProcessorPlaysTheStreamAtItsPitch()
    {
        // An insecure http page has no AudioWorklet: the player falls back to the deprecated ScriptProcessorNode. The
        // page here hides it from the player (the recorder keeps its own way to it).
        const int SampleRate = 48_000;
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        await using var page = await PlayerPage.OpenAsync(browser.Browser,
            [PlayerWidget.Html(server, new PlayerOptions { SampleRate = SampleRate })],
            initScript: "Object.defineProperty(BaseAudioContext.prototype, 'audioWorklet', { get: () => undefined });");
        await page.PlayAsync();
        await page.WaitForAsync(0, "s => s.targetMs <= s.floorMs + 0.5", timeoutMs: 20_000);
        await page.CaptureWindowAsync(0, 3.2, SampleRate);

        Assert.Equal("ScriptProcessorNode", await page.Player(0).EvaluateAsync<string>("root => root.synthPlayer.output.constructor.name"));
        // It plays the stream at the right pitch. Not sample-exact: when the page's main thread is late for one of its
        // callbacks, Chromium's node plays a silent render quantum, or (about one suite run in three, never alone)
        // quanta of its other buffer's stale contents, the stream of two pulls (2048 samples) before, as the
        // DescribeMismatch report shows ("shifted by [-2048]"). Both are the deprecated node's, not the ring's;
        // both are reported.
        var capture = await page.CaptureAsync();
        var reference = PlayedAudio.Reference(SampleRate, BlockSize, capture.Samples.Length);
        // A glitch may fall inside the stream's first samples too (seen once in six suite runs): then the stream is
        // taken from the first sound played, and the count of samples not the stream's is meaningless (reported as such).
        // The fallback node pulls (and so fades) 1024 frames at once.
        var start = PlayedAudio.TryFindStart(capture.Samples, reference, quantum: 1024);
        var (stream, gaps) = PlayedAudio.CutGaps(capture.Samples, start >= 0 ? start : Array.FindIndex(capture.Samples, s => s != 0), reference, quantum: 1024);
        Assert.True(stream.Length >= 3 * SampleRate, $"only {stream.Length} samples played");
        var window = stream.AsSpan(stream.Length - (1 << 16));
        var magnitudes = Spectrum.Magnitudes(window);
        foreach (var frequency in new[] { 200.0, 250, 300, 350, 400 })
        {
            var expected = Spectrum.HzToBin(frequency, window.Length, SampleRate);
            Assert.InRange(Spectrum.PeakBin(magnitudes, expected - 3, expected + 3), expected - 1, expected + 1);
        }
        // The node pulls 1024 frames at once, so its floor is three pulls (an underrun may raise it), not 24 ms.
        var stats = await page.StatsAsync();
        Assert.True(stats.FloorMs >= 3 * 1024 * 1000.0 / SampleRate - 1e-6, $"floor {stats.FloorMs} ms");
        output.WriteLine($"gaps: {gaps.Count(g => g.Length <= 128)} single quanta (the node's), " +
                         $"{gaps.Count(g => g.Length > 128)} longer (the ring's underruns); samples not the stream's: " +
                         (start >= 0 ? $"{PlayedAudio.Mismatches(stream, 0, reference)} ({PlayedAudio.DescribeMismatch(stream, reference)})"
                                     : "unknown (its first 512 samples were not played intact)") + $"; {stats.Status}");
    }

    /// <summary>
    /// Pulls what player <paramref name="index"/> played and asserts it is, sample for sample and in order, at least
    /// <paramref name="seconds"/> of the stream a fresh voice renders at the capture's rate (no changes), with no gap
    /// after the first sample. A test whose subject is not continuity may <paramref name="allowUnderrunGaps"/>: an
    /// underrun's silence (a busy machine) is then cut out first, and still no sample may be lost or altered.
    /// </summary>
    private static async Task<(Capture Capture, float[] Stream)> AssertPlayedExactlyAsync(
        PlayerPage page, int index, double seconds, bool allowUnderrunGaps = false)
    {
        var capture = await page.CaptureAsync(index);
        var required = (int)Math.Ceiling(seconds * capture.SampleRate);
        var reference = PlayedAudio.Reference(capture.SampleRate, BlockSize, capture.Samples.Length);
        var (stream, _, _) = PlayedAudio.AssertPlayed(capture.Samples, reference, required,
            allowUnderrunGaps, $"player {index}: {await page.StatsAsync(index)}");
        return (capture, stream);
    }

    /// <summary>A bounded wait for a server-side condition that follows a browser action.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
