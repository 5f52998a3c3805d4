using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// One 4096-sample block rendered by an <see cref="OscillatorBank"/> voice, as the server renders it for a listener.
/// <list type="bullet">
/// <item><see cref="Fresh"/>: a new voice (the common case).</item>
/// <item><see cref="Aged"/>: a voice advanced by 10^7 blocks (~11 days of audio at 44.1 kHz) before measuring, to
/// show that long-running voices are not slower (the seed's phases grow without bound).</item>
/// <item><see cref="Gliding"/>: one parameter change per block, so some component glides in every block
/// (includes the cost of <see cref="Synth.SetFrequency"/> itself, which allocates a new parameter snapshot).</item>
/// </list>
/// The "Samples/s" column is 4096 / mean time per block; "Allocated" must be 0 for Fresh and Aged.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GeneratorConfig))]
public class GeneratorBenchmarks
{
    public const int BlockSize = Synth.DefaultBlockSize;
    public const long AgedBlocks = 10_000_000L;

    private readonly float[] _block = new float[BlockSize];
    private OscillatorBank _fresh = null!;
    private OscillatorBank _aged = null!;
    private Synth _glidingSynth = null!;
    private OscillatorBank _gliding = null!;
    private double[] _baseFrequencies = [];
    private int _change;

    [Params(5, 50, 500)]
    public int Components { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fresh = new Synth(Components).CreateVoice();
        _aged = new Synth(Components).CreateVoice();
        _aged.Skip(AgedBlocks * BlockSize);
        _glidingSynth = new Synth(Components);
        _gliding = _glidingSynth.CreateVoice();
        _baseFrequencies = Enumerable.Range(0, Components).Select(_glidingSynth.GetFrequency).ToArray();
        _change = 0;
    }

    [Benchmark(Baseline = true)]
    public int Fresh() => _fresh.Read(_block);

    [Benchmark]
    public int Aged() => _aged.Read(_block);

    [Benchmark]
    public int Gliding()
    {
        // A different component every block, alternately 1% up and back: every block starts a 10 ms glide.
        var change = _change++;
        var component = change % Components;
        var up = (change / Components & 1) == 0;
        _glidingSynth.SetFrequency(component, _baseFrequencies[component] * (up ? 1.01 : 1.0));
        return _gliding.Read(_block);
    }
}

/// <summary>Adds the median and the throughput in samples per second to the summary table.</summary>
public sealed class GeneratorConfig : ManualConfig
{
    public GeneratorConfig()
    {
        AddColumn(StatisticColumn.Median, new SamplesPerSecondColumn(median: false), new SamplesPerSecondColumn(median: true));
    }
}

/// <summary>Samples per second: <see cref="GeneratorBenchmarks.BlockSize"/> divided by the mean (or median) time per block.</summary>
public sealed class SamplesPerSecondColumn(bool median) : IColumn
{
    public string Id => nameof(SamplesPerSecondColumn) + (median ? "Median" : "Mean");

    public string ColumnName => median ? "MSamples/s (median)" : "MSamples/s (mean)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => median ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Millions of samples rendered per second: {GeneratorBenchmarks.BlockSize} / {(median ? "median" : "mean")} time per block";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null)
        {
            return "NA";
        }
        var nanoseconds = median ? statistics.Median : statistics.Mean;
        return (GeneratorBenchmarks.BlockSize / nanoseconds * 1e3).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
