using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// One 256-sample block (48 kHz) of one instrument voice as issue 11 counts it: a band-limited oscillator through an
/// ADSR envelope (sustaining) and a low-pass biquad. "Voices/core" is the block's duration (5.33 ms) over the time it
/// takes: how many such voices one core renders in real time. "Allocated" must be 0.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(VoiceConfig))]
public class VoiceBenchmarks
{
    public const int BlockSize = 256;
    public const int SampleRate = 48_000;

    private readonly float[] _block = new float[BlockSize];
    private ISampleSource _voice = null!;

    [Params(Waveform.Saw, Waveform.Square, Waveform.Triangle, Waveform.Sine)]
    public Waveform Waveform { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var envelope = new AdsrEnvelope(SampleRate, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.7, TimeSpan.FromMilliseconds(200));
        envelope.NoteOn();
        _voice = new BandLimitedOscillator(Waveform, 220, SampleRate)
            .Through(envelope)
            .Through(new BiquadFilter(new FilterSettings(FilterType.LowPass, 2_000), SampleRate));
        // Past the attack and decay: the steady state a held note spends its time in.
        for (var i = 0; i < 20; i++)
        {
            _voice.Read(_block);
        }
    }

    [Benchmark]
    public int OscillatorEnvelopeFilter() => _voice.Read(_block);

    public static int Run(string[] args)
    {
        var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "BenchmarkDotNet.Artifacts"));
        var summaries = BenchmarkRunner.Run([typeof(VoiceBenchmarks), typeof(InstrumentBenchmarks), typeof(LiveInputBenchmarks)], DefaultConfig.Instance.WithArtifactsPath(artifacts), args);
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

/// <summary>Adds the median and voices per core to the summary table.</summary>
public sealed class VoiceConfig : ManualConfig
{
    public VoiceConfig() => AddColumn(StatisticColumn.Median, new VoicesPerCoreColumn());
}

/// <summary>The block's duration over the median time per block: voices one core keeps up with.</summary>
public sealed class VoicesPerCoreColumn : IColumn
{
    public string Id => nameof(VoicesPerCoreColumn);

    public string ColumnName => "Voices/core";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{VoiceBenchmarks.BlockSize} samples at {VoiceBenchmarks.SampleRate} Hz over the median time per block";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        // A benchmark of many voices at once (the instrument's) says how many with a "Voices" parameter.
        var voices = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Voices")?.Value is int count ? count : 1;
        return statistics is null ? "NA"
            : (voices * VoiceBenchmarks.BlockSize * 1e9 / VoiceBenchmarks.SampleRate / statistics.Median).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
