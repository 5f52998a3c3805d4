using SynthNotebook.Processing;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Instruments;

/// <summary>
/// One listener's instrument: its own voices at its own rate, playing the instrument's events. Each block it takes the
/// events that arrived since the last (keys at the block's first sample, a phrase from there; a key this listener's own
/// page timed, on the stream sample it asked for), then renders the voices up to each timed note, applies it on its
/// sample, and goes on: sample-accurate. Rewindable when every voice is; nothing is allocated per block.
/// </summary>
internal class InstrumentSource : ISampleSource
{
    private const int MaxPhrases = 64;   // phrases playing at once; one more stops the oldest
    private const int MaxTimedKeys = 32; // keys waiting for their sample; one more sounds at once
    private const double MaxKeyAheadSeconds = 1.0;   // a key timed further ahead than this sounds at once

    private readonly Instrument _instrument;
    private readonly InstrumentEventLog _log;
    private readonly VoicePool _pool;
    private readonly float[] _scratch = new float[SynthLimits.MaxBlockSize];
    private readonly Phrase?[] _phrases = new Phrase?[MaxPhrases];
    private readonly long[] _phraseStart = new long[MaxPhrases];
    private readonly int[] _phraseCursor = new int[MaxPhrases];   // the phrase's next edge
    private readonly int[] _phraseOwner = new int[MaxPhrases];
    private readonly TimedKey[] _timedKeys = new TimedKey[MaxTimedKeys];   // in the order they came
    private readonly ListenerClock? _listener;
    private int _phraseCount;
    private int _timedKeyCount;
    private int _nextOwner = 1;
    private long _position;
    private long _applied;   // events of the log applied

    protected InstrumentSource(Instrument instrument, InstrumentEventLog log, IInstrumentVoice[] voices, long applied,
        ListenerClock? listener, (int Note, double Velocity)[] held)
    {
        _instrument = instrument;
        _listener = listener;
        _log = log;
        _pool = new VoicePool(voices);
        SampleRate = voices[0].SampleRate;
        _applied = applied;
        foreach (var (note, velocity) in held)
        {
            _pool.Strike(note, velocity, owner: 0, now: 0);
        }
    }

    /// <summary>A listener's instrument: the keys <paramref name="held"/> down now, and what is done to it from now on.</summary>
    public static InstrumentSource Create(Instrument instrument, InstrumentEventLog log, IInstrumentVoice[] voices, long applied,
        ListenerClock? listener = null, (int Note, double Velocity)[]? held = null)
        => voices.All(voice => voice is IRewindableSource)
            ? new Rewindable(instrument, log, voices, applied, listener, held ?? [])
            : new InstrumentSource(instrument, log, voices, applied, listener, held ?? []);

    public int SampleRate { get; }

    /// <summary>Voices this listener took from a note still sounding.</summary>
    public long Stolen => _pool.Stolen;

    public int Read(Span<float> destination)
    {
        TakeEvents();
        var gain = (float)_instrument.Gain;
        var offset = 0;
        do
        {
            // Edges on the block's end belong to the next block, after the events that arrive before it.
            ApplyEdgesDue(_position + offset);
            var until = (int)Math.Min(destination.Length, NextEdge() - _position);
            RenderVoices(destination[offset..until], gain);
            offset = until;
        }
        while (offset < destination.Length);
        _position += destination.Length;
        return destination.Length;
    }

    private void TakeEvents()
    {
        var count = _log.Count;
        _applied = Math.Max(_applied, count - InstrumentEventLog.Capacity);
        for (; _applied < count; _applied++)
        {
            switch (_log.At(_applied))
            {
                case InstrumentEvent.NoteOn on:
                    Key(new TimedKey(on.Note, on.Velocity, Down: true, SampleFor(on.For, on.At)));
                    break;
                case InstrumentEvent.NoteOff off:
                    Key(new TimedKey(off.Note, 0, Down: false, SampleFor(off.For, off.At)));
                    break;
                case InstrumentEvent.Play play:
                    StartPhrase(play.Phrase);
                    break;
                case InstrumentEvent.AllNotesOff:
                    _pool.ReleaseAll(_position);
                    Array.Clear(_phrases);
                    _phraseCount = 0;
                    _timedKeyCount = 0;
                    break;
            }
        }
    }

    /// <summary>
    /// This source's sample for a key: the one its listener's page asked for, when the key is this listener's and that
    /// sample is still ahead (at most <see cref="MaxKeyAheadSeconds"/>); else now, the block's first.
    /// </summary>
    private long SampleFor(ListenerClock? listener, long at)
    {
        if (listener is null || listener != _listener)
        {
            return _position;
        }
        var ahead = at - listener.BlockStart;
        return ahead > 0 && ahead <= MaxKeyAheadSeconds * SampleRate ? _position + ahead : _position;
    }

    private void Key(TimedKey key)
    {
        if (key.Sample > _position && _timedKeyCount < MaxTimedKeys)
        {
            _timedKeys[_timedKeyCount++] = key;
            return;
        }
        Press(key, _position);
    }

    private void Press(in TimedKey key, long sample)
    {
        if (key.Down)
        {
            _pool.Strike(key.Note, key.Velocity, owner: 0, sample);
        }
        else
        {
            _pool.Release(key.Note, owner: 0, sample);
        }
    }

    private void StartPhrase(Phrase phrase)
    {
        if (_phraseCount == MaxPhrases)
        {
            RemovePhrase(0);
        }
        _phrases[_phraseCount] = phrase;
        _phraseStart[_phraseCount] = _position;
        _phraseCursor[_phraseCount] = 0;
        _phraseOwner[_phraseCount] = _nextOwner++;
        _phraseCount++;
    }

    /// <summary>
    /// Applies every timed key and phrase edge that falls on <paramref name="sample"/> (or before it, had any been
    /// missed): keys first, in the order they came.
    /// </summary>
    private void ApplyEdgesDue(long sample)
    {
        var kept = 0;
        for (var k = 0; k < _timedKeyCount; k++)
        {
            if (_timedKeys[k].Sample <= sample)
            {
                Press(_timedKeys[k], sample);
            }
            else
            {
                _timedKeys[kept++] = _timedKeys[k];
            }
        }
        _timedKeyCount = kept;
        for (var p = 0; p < _phraseCount; p++)
        {
            var edges = _phrases[p]!.Edges;
            ref var cursor = ref _phraseCursor[p];
            while (cursor < edges.Length && _phraseStart[p] + Phrase.SampleOf(edges[cursor], SampleRate) <= sample)
            {
                ref readonly var edge = ref edges[cursor++];
                if (edge.On)
                {
                    _pool.Strike(edge.Note, edge.Velocity, _phraseOwner[p], sample);
                }
                else
                {
                    _pool.Release(edge.Note, _phraseOwner[p], sample);
                }
            }
            if (cursor == edges.Length)
            {
                RemovePhrase(p--);
            }
        }
    }

    /// <summary>The sample of the next edge of any phrase playing; long.MaxValue when none is.</summary>
    private long NextEdge()
    {
        var next = long.MaxValue;
        for (var k = 0; k < _timedKeyCount; k++)
        {
            next = Math.Min(next, _timedKeys[k].Sample);
        }
        for (var p = 0; p < _phraseCount; p++)
        {
            next = Math.Min(next, _phraseStart[p] + Phrase.SampleOf(_phrases[p]!.Edges[_phraseCursor[p]], SampleRate));
        }
        return next;
    }

    private void RemovePhrase(int index)
    {
        for (var p = index; p < _phraseCount - 1; p++)
        {
            (_phrases[p], _phraseStart[p], _phraseCursor[p], _phraseOwner[p]) =
                (_phrases[p + 1], _phraseStart[p + 1], _phraseCursor[p + 1], _phraseOwner[p + 1]);
        }
        _phrases[--_phraseCount] = null;
    }

    private void RenderVoices(Span<float> destination, float gain)
    {
        destination.Clear();
        var scratch = _scratch.AsSpan(0, destination.Length);
        foreach (var voice in _pool.Voices)
        {
            if (!voice.IsSounding)
            {
                continue;
            }
            voice.Read(scratch);
            for (var i = 0; i < scratch.Length; i++)
            {
                destination[i] += gain * scratch[i];
            }
        }
    }

    /// <summary>A key waiting for its sample (this source's count).</summary>
    private readonly record struct TimedKey(int Note, double Velocity, bool Down, long Sample);

    private sealed class Rewindable(Instrument instrument, InstrumentEventLog log, IInstrumentVoice[] voices, long applied,
        ListenerClock? listener, (int Note, double Velocity)[] held)
        : InstrumentSource(instrument, log, voices, applied, listener, held), IRewindableSource
    {
        public ISourceCheckpoint CreateCheckpoint() => new Checkpoint(this);
    }

    /// <summary>Where the listener is, what it has applied, the phrases playing, the voices' assignments and states.</summary>
    private sealed class Checkpoint(InstrumentSource source) : ISourceCheckpoint
    {
        private readonly Phrase?[] _phrases = new Phrase?[MaxPhrases];
        private readonly long[] _phraseStart = new long[MaxPhrases];
        private readonly int[] _phraseCursor = new int[MaxPhrases];
        private readonly int[] _phraseOwner = new int[MaxPhrases];
        private readonly TimedKey[] _timedKeys = new TimedKey[MaxTimedKeys];
        private readonly VoicePool.State _pool = new(source._pool);
        private readonly ISourceCheckpoint[] _voices = [.. source._pool.Voices.Select(v => ((IRewindableSource)v).CreateCheckpoint())];
        private (int PhraseCount, int TimedKeyCount, int NextOwner, long Position, long Applied) _scalars;

        public void Save()
        {
            source._phrases.CopyTo(_phrases, 0);
            source._phraseStart.CopyTo(_phraseStart, 0);
            source._phraseCursor.CopyTo(_phraseCursor, 0);
            source._phraseOwner.CopyTo(_phraseOwner, 0);
            source._timedKeys.CopyTo(_timedKeys, 0);
            _scalars = (source._phraseCount, source._timedKeyCount, source._nextOwner, source._position, source._applied);
            _pool.Save();
            foreach (var voice in _voices)
            {
                voice.Save();
            }
        }

        public void Restore()
        {
            _phrases.CopyTo(source._phrases, 0);
            _phraseStart.CopyTo(source._phraseStart, 0);
            _phraseCursor.CopyTo(source._phraseCursor, 0);
            _phraseOwner.CopyTo(source._phraseOwner, 0);
            _timedKeys.CopyTo(source._timedKeys, 0);
            (source._phraseCount, source._timedKeyCount, source._nextOwner, source._position, source._applied) = _scalars;
            _pool.Restore();
            foreach (var voice in _voices)
            {
                voice.Restore();
            }
        }
    }
}
