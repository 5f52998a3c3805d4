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
        await _page.EvaluateAsync("""
            () => {
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
              const cushion = new Cushion(24, {{SampleRate}}, 256, false, 0);
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
              const cushion = new Cushion(24, {{SampleRate}}, 256, false, 0);
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
              const cushion = new Cushion(32, {{SampleRate}}, 256, true, 0);
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

    private static void AssertSteps(double[] expected, double[]? actual)
        => Assert.Equal(expected.Select(ms => Math.Round(ms, 6)), actual!.Select(ms => Math.Round(ms, 6)));

    private sealed record Outcome(double TargetMs, double FloorMs, int Reconfigured, RingSettings Ring, double[]? Steps);

    private sealed record RingSettings(int StartSamples, double? MaxSamples, double? TrimWindow, int TrimTo);
}
