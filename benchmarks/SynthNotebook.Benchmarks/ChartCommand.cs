using System.Diagnostics;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// What a chart costs the kernel, as a notebook cell pays it: the first chart of a fresh process (the engine's load
/// context loaded, Plotly.NET jitted) and then each further one, from the signal to the output's HTML. Run it in a fresh
/// process each time (the first figure is the point): `chart [--charts N] [--after-warm-up]`.
/// </summary>
internal static class ChartCommand
{
    public static int Run(string[] args)
    {
        var at = Array.IndexOf(args, "--charts");
        var charts = at >= 0 ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 30;
        var warmUp = args.Contains("--after-warm-up");
        var synth = new Synth();
        if (warmUp)
        {
            ChartHtml.WarmUpAsync().GetAwaiter().GetResult(); // what the extension starts when it loads
        }
        var (firstMs, firstBytes) = Measure(() => ChartHtml.ForNotebook(Plot.GluedBlocks(synth).FigureJson));
        var (bannerMs, bannerBytes) = Measure(() => ChartHtml.PlotlyJsScript());
        var each = new List<(double Ms, long Bytes)>();
        for (var i = 0; i < charts; i++)
        {
            each.Add(Measure(() => ChartHtml.ForNotebook(Plot.GluedBlocks(synth).FigureJson)));
        }
        var ms = each.Select(e => e.Ms).Order().ToList();
        var bytes = each.Select(e => e.Bytes).Order().ToList();
        Console.WriteLine($"first chart{(warmUp ? " after the extension's warm-up" : " of a cold process")}: {firstMs:0.0} ms, {firstBytes / 1e6:0.0} MB allocated");
        Console.WriteLine($"plotly.js for the banner (once per kernel): {bannerMs:0.0} ms, {bannerBytes / 1e6:0.0} MB allocated");
        Console.WriteLine($"each further chart (GluedBlocks, 8192 points), {charts} charts: median {ms[ms.Count / 2]:0.00} ms " +
                          $"(min {ms[0]:0.00}, max {ms[^1]:0.00}), median {bytes[bytes.Count / 2] / 1e6:0.00} MB allocated");
        return 0;
    }

    private static (double Ms, long Bytes) Measure(Func<string> chart)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var html = chart();
        var ms = clock.Elapsed.TotalMilliseconds;
        GC.KeepAlive(html);
        return (ms, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }
}
