using BenchmarkDotNet.Attributes;
using SynthNotebook.Instruments;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// One 256-sample block (48 kHz) of a listener's instrument with every voice held: the built-in voice (saw → low-pass
/// → ADSR) times <see cref="Voices"/>, mixed, with the instrument's events and voice bookkeeping. "Voices/core" is how
/// many such voices one core renders in real time; "Allocated" must be 0.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(VoiceConfig))]
public class InstrumentBenchmarks
{
    private readonly float[] _block = new float[VoiceBenchmarks.BlockSize];
    private ISampleSource _listener = null!;

    [Params(16, 128)]
    public int Voices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var instrument = new Instrument(polyphony: Voices);
        _listener = instrument.Patch.Create(VoiceBenchmarks.SampleRate);
        for (var i = 0; i < Voices; i++)
        {
            instrument.NoteOn(Voices > 92 ? i : 36 + i);   // distinct notes: each its own voice
        }
        // Past the attack and decay: the steady state a held chord spends its time in.
        for (var i = 0; i < 40; i++)
        {
            _listener.Read(_block);
        }
    }

    [Benchmark]
    public int HeldChord() => _listener.Read(_block);
}
