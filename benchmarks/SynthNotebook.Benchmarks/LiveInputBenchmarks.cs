using BenchmarkDotNet.Attributes;
using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Benchmarks;

/// <summary>
/// One listener's block of the microphone input (<c>server.MicrophoneInput</c>): a 48 kHz feed's 10 ms written and a
/// listener's 10 ms read through the windowed sinc, at the feed's rate and at 44.1 kHz. "Allocated" must be 0.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LiveInputBenchmarks
{
    private const int FeedRate = 48_000;

    private readonly float[] _fed = new float[FeedRate / 100];
    private float[] _block = [];
    private LiveInput.Feed _feed = null!;
    private ISampleSource _listener = null!;

    [Params(48_000, 44_100)]
    public int ListenerRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var input = new LiveInput();
        _feed = input.OpenFeed(FeedRate);
        _listener = input.Patch.Create(ListenerRate);
        _block = new float[ListenerRate / 100];
        for (var i = 0; i < _fed.Length; i++)
        {
            _fed[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / FeedRate));
        }
        for (var i = 0; i < 100; i++)   // a second: playing, its average settled
        {
            TenMilliseconds();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _feed.Dispose();

    [Benchmark]
    public int TenMilliseconds()
    {
        _feed.Write(_fed);
        return _listener.Read(_block);
    }
}
