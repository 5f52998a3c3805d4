using System.Globalization;
using System.Text.Json.Nodes;

namespace SynthNotebook.Benchmarks;

/// <summary><c>summarize</c>: medians per configuration of the JSON lines written by <c>load --out</c>, as markdown.</summary>
internal static class LoadSummary
{
    public static int Run(string[] args)
    {
        var maxOther = double.PositiveInfinity;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--max-other")
            {
                maxOther = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                files.Add(args[i]);
            }
        }
        if (files.Count == 0)
        {
            Console.Error.WriteLine("summarize: [--max-other PERCENT] FILE.jsonl...   (--max-other drops runs disturbed by other processes)");
            return 2;
        }
        var all = files.SelectMany(File.ReadLines)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();
        var runs = all.Where(r => ((double?)r["other_cpu_pct"] ?? 0) <= maxOther).ToList();
        if (runs.Count < all.Count)
        {
            Console.WriteLine($"({all.Count - runs.Count} of {all.Count} runs left out: other processes used more than {maxOther}% of a CPU)");
            Console.WriteLine();
        }
        Console.WriteLine("| configuration | runs | blocks/s | RTT p50 ms | RTT p90 ms | RTT p99 ms | server CPU % | client CPU % | server B/block | other CPU % | bad |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(Key))
        {
            var r = group.ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key} | {r.Count} | {Median(r, "buffers_per_s"):N0} | {Median(r, "rtt_ms", "p50"):0.000} | " +
                $"{Median(r, "rtt_ms", "p90"):0.000} | {Median(r, "rtt_ms", "p99"):0.000} | {Median(r, "server_cpu_pct"):0.#} | " +
                $"{Median(r, "client_cpu_pct"):0.#} | {Median(r, "server_alloc_bytes_per_block"):0.##} | {Median(r, "other_cpu_pct"):0.#} | {r.Sum(x => (long?)x["bad"] ?? 0)} |"));
        }
        return 0;
    }

    private static string Key(JsonObject r)
    {
        var label = (string?)r["label"];
        var server = (string?)r["server"] == "synthnotebook"
            ? $"{r["components"]} comp{((bool?)r["aged"] == true ? " aged" : "")}, server CPUs {r["server_cpus"]}"
            : "external";
        var mode = (bool?)r["seed_mode"] == true ? "seed mode" : "v1";
        if ((string?)r["tiering"] == "default")
        {
            mode += $", default tiering, {r["warmup_s"]} s warm-up";
        }
        if ((bool?)r["client_inline"] == false)
        {
            mode += ", thread-pool client";
        }
        if ((string?)r["server_env"] is { } environment)
        {
            mode += ", " + environment;
        }
        return (label is null ? "" : label + ": ") + $"{server}, {mode}, {r["clients"]}×{r["inflight"]}";
    }

    private static double Median(List<JsonObject> runs, string field, string? inner = null)
    {
        var values = runs
            .Select(r => inner is null ? r[field] : r[field]?[inner])
            .Where(v => v is not null)
            .Select(v => (double)v!)
            .Order()
            .ToArray();
        if (values.Length == 0)
        {
            return double.NaN;
        }
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
