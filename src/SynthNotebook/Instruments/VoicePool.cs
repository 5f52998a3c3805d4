namespace SynthNotebook.Instruments;

/// <summary>
/// Which voice plays which note, for one listener. A note goes to the voice already playing it for the same player (a
/// key struck again), else to a silent voice, else one is stolen: the one released longest ago, or, when every voice is
/// held, the one struck longest ago. Its arrays are the whole state, so a checkpoint copies them.
/// </summary>
internal sealed class VoicePool(IInstrumentVoice[] voices)
{
    private const int Free = -1;

    private readonly int[] _note = Enumerable.Repeat(Free, voices.Length).ToArray();
    private readonly int[] _owner = new int[voices.Length];       // 0: the keys; otherwise the phrase that struck it
    private readonly long[] _struckAt = new long[voices.Length];
    private readonly long[] _releasedAt = new long[voices.Length]; // -1 while the key is held

    public IInstrumentVoice[] Voices => voices;

    /// <summary>Voices taken from a note still sounding.</summary>
    public long Stolen { get; private set; }

    public void Strike(int note, double velocity, int owner, long now)
    {
        var voice = Choose(note, owner);
        _note[voice] = note;
        _owner[voice] = owner;
        _struckAt[voice] = now;
        _releasedAt[voice] = -1;
        voices[voice].Start(note, velocity);
    }

    public void Release(int note, int owner, long now)
    {
        for (var i = 0; i < voices.Length; i++)
        {
            if (_note[i] == note && _owner[i] == owner && _releasedAt[i] < 0)
            {
                ReleaseVoice(i, now);
            }
        }
    }

    public void ReleaseAll(long now)
    {
        for (var i = 0; i < voices.Length; i++)
        {
            if (_note[i] != Free && _releasedAt[i] < 0)
            {
                ReleaseVoice(i, now);
            }
        }
    }

    private void ReleaseVoice(int voice, long now)
    {
        _releasedAt[voice] = now;
        voices[voice].Release();
    }

    private int Choose(int note, int owner)
    {
        var silent = -1;
        var oldestReleased = -1;
        var oldestHeld = -1;
        for (var i = 0; i < voices.Length; i++)
        {
            var sounding = voices[i].IsSounding;
            if (sounding && _note[i] == note && _owner[i] == owner)
            {
                return i;
            }
            if (!sounding)
            {
                silent = silent < 0 ? i : silent;
            }
            else if (_releasedAt[i] >= 0)
            {
                oldestReleased = oldestReleased < 0 || _releasedAt[i] < _releasedAt[oldestReleased] ? i : oldestReleased;
            }
            else
            {
                oldestHeld = oldestHeld < 0 || _struckAt[i] < _struckAt[oldestHeld] ? i : oldestHeld;
            }
        }
        if (silent >= 0)
        {
            return silent;
        }
        Stolen++;
        return oldestReleased >= 0 ? oldestReleased : oldestHeld;
    }

    /// <summary>The pool's assignments, copied in and out.</summary>
    public sealed class State(VoicePool pool)
    {
        private readonly int[] _note = new int[pool._note.Length];
        private readonly int[] _owner = new int[pool._note.Length];
        private readonly long[] _struckAt = new long[pool._note.Length];
        private readonly long[] _releasedAt = new long[pool._note.Length];
        private long _stolen;

        public void Save()
        {
            pool._note.CopyTo(_note, 0);
            pool._owner.CopyTo(_owner, 0);
            pool._struckAt.CopyTo(_struckAt, 0);
            pool._releasedAt.CopyTo(_releasedAt, 0);
            _stolen = pool.Stolen;
        }

        public void Restore()
        {
            _note.CopyTo(pool._note, 0);
            _owner.CopyTo(pool._owner, 0);
            _struckAt.CopyTo(pool._struckAt, 0);
            _releasedAt.CopyTo(pool._releasedAt, 0);
            pool.Stolen = _stolen;
        }
    }
}
