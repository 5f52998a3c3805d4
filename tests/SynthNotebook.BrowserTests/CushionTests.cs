using System.Text.Json;
using Microsoft.Playwright;
using SynthNotebook.Streaming;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// The player's cushion policy (cushion.js) alone in Chromium, driven by made-up ring reports and a made-up clock:
/// the rules the live tests cannot provoke on demand (an underrun at a given moment, a duplex start-up).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CushionTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int SampleRate = 48_000;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await browser.Browser.NewContextAsync();
        _page = await _context.NewPageAsync();
        using var stream = typeof(SynthServer).Assembly.GetManifestResourceStream("SynthNotebook.Client.cushion.js")!;
        using var reader = new StreamReader(stream);
        await _page.AddScriptTagAsync(new() { Content = reader.ReadToEnd() + "\nwindow.Cushion = Cushion;" });
        // Plays the cushion for `seconds` of ring reports, one every 5 ms; `underrunAt` (s) marks one report as having
        // underrun. Returns what the policy said.
        await _page.EvaluateAsync($$"""
            () => {
              // A 256-sample stream on a device that takes 512 frames at once (headless Chromium's).
              window.cushionFor = (floorMs, duplex) => new Cushion(
                { floorMs, callbackMs: 512 / {{SampleRate}} * 1000, sampleRate: {{SampleRate}}, blockSize: 256, duplex }, 0);
              window.play = (cushion, from, seconds, underrunAt = -1) => {
                let reconfigured = 0;
                for (let t = from; t < from + seconds * 1000; t += 5) {
                  const underran = underrunAt >= 0 && Math.abs(t - underrunAt * 1000) < 2.5;
                  if (cushion.observe(underran, t)) reconfigured++;
                }
                return { targetMs: cushion.targetMs, floorMs: cushion.floorMs, reconfigured, ring: cushion.ringSettings() };
              };
            }
            """);
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    // Through JSON, where the ring's Infinity (no trimming) becomes null.
    private async Task<Outcome> EvaluateAsync(string script)
        => JsonSerializer.Deserialize<Outcome>(await _page.EvaluateAsync<string>($"() => JSON.stringify(({script})())"),
            JsonSerializerOptions.Web)!;

    [Fact]
    public async Task ASynthStreamStartsThickAndThinsToTheFloorAfterACalmStart()
    {
        var outcome = await EvaluateAsync($$"""
            () => {
              const cushion = cushionFor(24, false);
              const steps = [play(cushion, 0, 1.5).targetMs, play(cushion, 1500, 1).targetMs, play(cushion, 2500, 10).targetMs];
              return { ...play(cushion, 12_500, 0.005), steps };
            }
            """);

        // Thick until 1.5 s of calm, then 30 ms per second down to the floor, where it stays.
        Assert.Equal(200, outcome.Steps![0]);
        Assert.InRange(outcome.Steps[1], 200 - 30 - 0.5, 200 - 30 + 0.5);
        AssertSteps([24, 24], [outcome.Steps[2], outcome.TargetMs]);
        Assert.Equal(0, outcome.Reconfigured);
        Assert.Equal(24 * SampleRate / 1000, outcome.Ring.StartSamples);
        Assert.Null(outcome.Ring.MaxSamples);   // a synth stream's ring never trims
    }

    [Fact]
    public async Task AnUnderrunGrowsBothTheFloorAndTheTarget()
    {
        var outcome = await EvaluateAsync($$"""
            () => {
              const cushion = cushionFor(24, false);
              play(cushion, 0, 10);
              const underrun = play(cushion, 10_000, 0.01, 10);
              const calm = play(cushion, 10_010, 20);
              return { ...underrun, steps: [calm.targetMs] };
            }
            """);

        Assert.Equal(24 * 1.25 + 2, outcome.FloorMs, 6);
        Assert.Equal(24 * 1.5 + 5, outcome.TargetMs, 6);
        Assert.Equal(1, outcome.Reconfigured);
        Assert.Equal((int)Math.Round((24 * 1.5 + 5) / 1000 * SampleRate), outcome.Ring.StartSamples);
        AssertSteps([24 * 1.25 + 2], outcome.Steps);   // it thins again, but only to the raised floor
    }

    [Fact]
    public async Task ADuplexStreamStartsAtItsFloorIgnoresStartUpUnderrunsAndGrowsABlockForALaterOne()
    {
        var outcome = await EvaluateAsync($$"""
            () => {
              const cushion = cushionFor(32, true);
              const start = play(cushion, 0, 0.005);
              const startUp = play(cushion, 5, 0.9, 0.5);
              const calm = play(cushion, 905, 5);
              const later = play(cushion, 5905, 0.01, 5.905);
              return { ...later, steps: [start.targetMs, startUp.targetMs, calm.targetMs, later.targetMs, later.floorMs] };
            }
            """);

        var grown = 32 + 256 * 1000.0 / SampleRate;
        AssertSteps([32, 32, 32, grown, grown], outcome.Steps);
        var start = (int)Math.Round(grown / 1000 * SampleRate);
        Assert.Equal(new RingSettings(start, start + 128, SampleRate / 2, start), outcome.Ring);
    }

    [Fact]
    public async Task ASlowDeliveryRaisesTheFloorToOutlastItUntilItFades()
    {
        var outcome = await EvaluateAsync("""
            () => {
              const cushion = cushionFor(24, false);
              play(cushion, 0, 10);
              const quick = cushion.observeDelivery(3, 10_000);     // well within what 24 ms outlasts: the floor stands
              const steps = [cushion.floorMs];
              const slow = cushion.observeDelivery(30, 10_005);      // a stall
              steps.push(cushion.floorMs, cushion.targetMs);
              const settings = cushion.ringSettings();
              steps.push(play(cushion, 10_010, 30).floorMs);        // one half-life on (to 40 005): 15 ms
              steps.push(play(cushion, 40_010, 30).floorMs);        // two: 7.5 ms, within what 24 ms outlasts
              return { ...play(cushion, 70_005, 0.005), reconfigured: [quick, slow].filter(Boolean).length, steps, ring: settings };
            }
            """);

        var callback = 512 * 1000.0 / SampleRate;
        var quantum = 128 * 1000.0 / SampleRate;
        AssertSteps([24, callback + 30 + quantum, callback + 30 + quantum, callback + 15 + quantum, 24], outcome.Steps);
        Assert.Equal(1, outcome.Reconfigured);   // the slow delivery raised the target at once
        Assert.Equal((int)Math.Round((callback + 30 + quantum) / 1000 * SampleRate), outcome.Ring.StartSamples);
        Assert.Equal(24, outcome.TargetMs, 6);   // and once it faded the target thinned back to the option's floor
    }

    [Fact]
    public async Task AnUnderrunAfterASlowDeliveryRaisesTheLastingFloorFromTheOptionsFloorOnly()
    {
        var outcome = await EvaluateAsync("""
            () => {
              const cushion = cushionFor(24, false);
              play(cushion, 0, 10);
              cushion.observeDelivery(20, 10_000);                  // the late block that caused the underrun
              const underrun = play(cushion, 10_000, 0.005, 10);
              const later = play(cushion, 10_005, 120);             // four half-lives: the slow delivery has faded
              return { ...later, steps: [underrun.floorMs, later.floorMs] };
            }
            """);

        var callback = 512 * 1000.0 / SampleRate;
        var quantum = 128 * 1000.0 / SampleRate;
        AssertSteps([callback + 20 + quantum, 24 * 1.25 + 2], outcome.Steps);
        Assert.Equal(24 * 1.25 + 2, outcome.TargetMs, 6);
    }

    private static void AssertSteps(double[] expected, double[]? actual)
        => Assert.Equal(expected.Select(ms => Math.Round(ms, 6)), actual!.Select(ms => Math.Round(ms, 6)));

    private sealed record Outcome(double TargetMs, double FloorMs, int Reconfigured, RingSettings Ring, double[]? Steps);

    private sealed record RingSettings(int StartSamples, double? MaxSamples, double? TrimWindow, int TrimTo);
}
