using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// A live signal every listener can hear, such as a microphone: feeds append it in blocks at their own rate, and each
/// listener's source (<see cref="AsPatch"/>) reads it at the listener's rate, a cushion behind the newest sample.
/// One feed is heard at a time: the newest one to have sent audio; when it closes, the one before it (if still open)
/// is heard again. Each change of feed starts a new take, which listeners fade into.
/// </summary>
/// <remarks>
/// The samples are kept in a ring of <see cref="Capacity"/> (about 22 s at 48 kHz), its first
/// <see cref="WindowedSinc.Taps"/> samples mirrored past its end so a reader's window is always one span. One writer at
/// a time (the feeds write under a lock); readers take no lock: a sample below <see cref="Written"/> stays as it is until
/// the ring comes round, far behind any reader.
/// </remarks>
public sealed class LiveInput
{
    /// <summary>How far behind the newest sample a listener plays unless told otherwise.</summary>
    public static readonly TimeSpan DefaultCushion = TimeSpan.FromMilliseconds(40);

    /// <summary>Samples the ring holds.</summary>
    public const int Capacity = 1 << 20;

    private const int Mask = Capacity - 1;

    private readonly Lock _lock = new();
    private readonly List<Feed> _feeds = [];   // open, in the order they first sent audio; the last one is heard
    private float[]? _ring;                    // made at the first feed's first block
    private long _written;                     // samples ever written, across takes
    private Take _take = Take.None;
    private long _takes;
    private long _underruns, _restarts;

    /// <summary>Makes an input with nothing fed yet (it plays silence).</summary>
    public LiveInput(string name = "live input")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Patch = AsPatch(DefaultCushion);
    }

    /// <summary>What this input is, for patch names.</summary>
    public string Name { get; }

    /// <summary>This input as a patch, <see cref="DefaultCushion"/> behind the newest sample.</summary>
    public Patch Patch { get; }

    /// <summary>True while a feed is sending (its take is what listeners hear).</summary>
    public bool IsFed => Volatile.Read(ref _take).Id != 0;

    /// <summary>The rate of the feed heard now; 0 when none is.</summary>
    public int SampleRate => Volatile.Read(ref _take).SampleRate;

    /// <summary>Samples fed so far, across every feed.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Times a listener ran out of input (the feed was late or stopped) and faded to silence until it came back.</summary>
    public long Underruns => Interlocked.Read(ref _underruns);

    /// <summary>Times a listener found itself too far behind the feed (a burst after a stall) and faded to its newest part.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>
    /// This input as a patch: every listener gets its own reader at its rate, <paramref name="cushion"/> (5–1000 ms)
    /// behind the newest sample, which rides out the feed's jitter.
    /// </summary>
    public Patch AsPatch(TimeSpan cushion)
    {
        ParameterGuard.InRange(cushion.TotalMilliseconds, 5, 1000, " ms", nameof(cushion));
        return Patch.From(rate => new LiveInputSource(this, rate, cushion), $"{Name} ({cushion.TotalMilliseconds:0} ms behind)");
    }

    /// <summary>A feed at <paramref name="sampleRate"/>; it is heard from its first block until a newer feed sends.</summary>
    public Feed OpenFeed(int sampleRate)
    {
        ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        return new Feed(this, sampleRate);
    }

    /// <inheritdoc />
    public override string ToString() => IsFed
        ? $"{Name}: fed at {SampleRate} Hz, {Underruns} underruns, {Restarts} restarts"
        : $"{Name}: not fed";

    /// <summary>The take listeners should follow now, and how much of the ring holds it.</summary>
    internal (Take Take, long Written) Snapshot()
    {
        var take = Volatile.Read(ref _take);   // before the count: a take's samples are counted after it is published
        return (take, Volatile.Read(ref _written));
    }

    /// <summary><see cref="WindowedSinc.Taps"/> samples from absolute index <paramref name="start"/>, all below <see cref="Written"/>.</summary>
    internal ReadOnlySpan<float> Window(long start) => _ring.AsSpan((int)(start & Mask), WindowedSinc.Taps);

    internal void CountUnderrun() => Interlocked.Increment(ref _underruns);

    internal void CountRestart() => Interlocked.Increment(ref _restarts);

    private void Write(Feed feed, ReadOnlySpan<float> samples)
    {
        lock (_lock)
        {
            if (!_feeds.Contains(feed))
            {
                _feeds.Add(feed);   // its first block: it is heard from now on
                Begin(feed);
            }
            else if (_feeds[^1] != feed)
            {
                return;   // a newer feed is heard
            }
            _ring ??= new float[Capacity + WindowedSinc.Taps];
            var at = _written;
            foreach (var sample in samples)
            {
                var value = float.IsFinite(sample) ? sample : 0f;
                var index = (int)(at & Mask);
                _ring[index] = value;
                if (index < WindowedSinc.Taps)
                {
                    _ring[Capacity + index] = value;
                }
                at++;
            }
            Volatile.Write(ref _written, at);
        }
    }

    private void Close(Feed feed)
    {
        lock (_lock)
        {
            var wasHeard = _feeds.Count > 0 && _feeds[^1] == feed;
            _feeds.Remove(feed);
            if (wasHeard)
            {
                if (_feeds.Count > 0)
                {
                    Begin(_feeds[^1]);
                }
                else
                {
                    Volatile.Write(ref _take, Take.None);
                }
            }
        }
    }

    private void Begin(Feed feed) => Volatile.Write(ref _take, new Take(++_takes, feed.SampleRate, _written));

    /// <summary>One feed's stretch of the ring: listeners fade into each new one.</summary>
    /// <param name="Id">Counts takes from 1; 0 is no feed.</param>
    /// <param name="SampleRate">The feed's rate.</param>
    /// <param name="Start">The absolute index of its first sample.</param>
    internal sealed record Take(long Id, int SampleRate, long Start)
    {
        public static readonly Take None = new(0, 0, 0);
    }

    /// <summary>Where one writer (a microphone connection) puts its audio. Dispose it when the writer goes.</summary>
    public sealed class Feed : IDisposable
    {
        private readonly LiveInput _input;
        private bool _closed;

        internal Feed(LiveInput input, int sampleRate)
        {
            _input = input;
            SampleRate = sampleRate;
        }

        /// <summary>The rate this feed's samples are at.</summary>
        public int SampleRate { get; }

        /// <summary>Appends the next samples (non-finite ones as silence); ignored while a newer feed is heard.</summary>
        public void Write(ReadOnlySpan<float> samples)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _input.Write(this, samples);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (!_closed)
            {
                _closed = true;
                _input.Close(this);
            }
        }
    }
}
