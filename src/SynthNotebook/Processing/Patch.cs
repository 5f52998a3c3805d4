using SynthNotebook.Instruments;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// What a server plays, as a recipe: every listener gets its own source made from it, at its own sample rate (own
/// phases, own filter memory), and an offline render makes one the same way, so it equals what a listener hears.
/// Immutable: build a new patch in a cell and give it to a running server (<c>server.Source = …</c>); it cross-fades.
/// </summary>
/// <example><code>
/// server.Source = Patch.From(rate =&gt; new BandLimitedOscillator(Waveform.Saw, 110, rate), "saw 110 Hz")
///     .Through(AudioChain.PassThrough.LowPass(800));
/// server.Source = Patch.PerSample(t =&gt; 0.3 * Math.Sin(2 * Math.PI * 440 * t));
/// server.Source = synth;   // back to the sliders' synth
/// </code></example>
public sealed class Patch
{
    private readonly Func<int, ListenerClock?, ISampleSource> _create;

    private Patch(string name, Func<int, ListenerClock?, ISampleSource> create, bool isSynthVoice, Instrument? instrument = null, Synth? synth = null)
    {
        Name = name;
        _create = create;
        IsSynthVoice = isSynthVoice;
        Instrument = instrument;
        Synth = synth;
    }

    /// <summary>What the patch is, for the player's status line and plain-text outputs.</summary>
    public string Name { get; }

    /// <summary>True for a synth's own voice, library code through and through (the server may render it inline).</summary>
    internal bool IsSynthVoice { get; }

    /// <summary>The instrument this patch plays, if any: the one the player's keyboard plays while it is the server's.</summary>
    public Instrument? Instrument { get; }

    /// <summary>The synth this patch plays, if any: the one whose sliders are heard while it is the server's.</summary>
    public Synth? Synth { get; }

    /// <summary>A patch whose sources <paramref name="createForSampleRate"/> makes, one per listener, for its rate.</summary>
    public static Patch From(Func<int, ISampleSource> createForSampleRate, string name = "your source")
    {
        ArgumentNullException.ThrowIfNull(createForSampleRate);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Patch(name, (rate, _) => createForSampleRate(rate), isSynthVoice: false);
    }

    /// <summary>A function of the time in seconds, called once per sample (<see cref="FunctionSource"/>).</summary>
    public static Patch PerSample(Func<double, double> function, string name = "a function of time")
    {
        ArgumentNullException.ThrowIfNull(function);
        return From(rate => new FunctionSource(function, rate), name);
    }

    /// <summary>A function that fills a block at a time (<see cref="BlockFunctionSource"/>): the fast way to write one.</summary>
    public static Patch PerBlock(BlockFunction function, string name = "a block function")
    {
        ArgumentNullException.ThrowIfNull(function);
        return From(rate => new BlockFunctionSource(function, rate), name);
    }

    /// <summary>The synth's voices: its sliders, its parameters from the kernel.</summary>
    public static Patch Of(Synth synth)
    {
        ArgumentNullException.ThrowIfNull(synth);
        return new Patch($"synth ({synth.ComponentCount} sines)", (rate, _) => synth.CreateVoice(rate), isSynthVoice: true, synth: synth);
    }

    /// <summary>An instrument's voices, playing what it is told (<see cref="Instrument.Patch"/>).</summary>
    internal static Patch Of(Instrument instrument)
        => new(instrument.Name, instrument.CreateSource, isSynthVoice: false, instrument);

    /// <summary>The synth's voices (<see cref="Of(Synth)"/>): <c>server.Source = synth;</c></summary>
    public static implicit operator Patch(Synth synth) => Of(synth);

    /// <summary>Every patch's sources summed, sample by sample (scale them with <see cref="Gain"/> to keep within ±1).</summary>
    public static Patch Mix(params Patch[] patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        if (patches.Length == 0 || patches.Any(patch => patch is null))
        {
            throw new ArgumentException("Mix needs one patch or more, none of them null.", nameof(patches));
        }
        var parts = patches.ToArray();
        return new Patch($"mix of {string.Join(" + ", parts.Select(patch => patch.Name))}",
            (rate, listener) => MixSource.Of([.. parts.Select(patch => patch.Create(rate, listener))]), isSynthVoice: false,
            parts.Select(patch => patch.Instrument).FirstOrDefault(instrument => instrument is not null),
            parts.Select(patch => patch.Synth).FirstOrDefault(synth => synth is not null));
    }

    /// <summary>This patch followed by a fresh instance of <paramref name="chain"/> per source.</summary>
    public Patch Through(AudioChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return new Patch($"{Name} → {chain}", (rate, listener) => Create(rate, listener).Through(chain), isSynthVoice: false, Instrument, Synth);
    }

    /// <summary>This patch multiplied by <paramref name="gain"/> (0–4).</summary>
    public Patch Gain(double gain) => Through(AudioChain.PassThrough.Gain(gain));

    /// <summary>A source of this patch at <paramref name="sampleRate"/>, at its start.</summary>
    /// <exception cref="InvalidOperationException">The recipe gave no source, or one at another rate.</exception>
    public ISampleSource Create(int sampleRate) => Create(sampleRate, listener: null);

    /// <summary>A source of this patch for the listener whose stream is at <paramref name="listener"/>.</summary>
    internal ISampleSource Create(int sampleRate, ListenerClock? listener)
    {
        ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        var source = _create(sampleRate, listener)
            ?? throw new InvalidOperationException($"The patch '{Name}' made no source (its recipe returned null).");
        return source.SampleRate == sampleRate ? source : throw new InvalidOperationException(
            $"The patch '{Name}' made a source at {source.SampleRate} Hz when asked for {sampleRate} Hz: make it at the rate the recipe is given (rate => new …(…, rate)).");
    }

    /// <summary>
    /// The first <paramref name="seconds"/> of this patch at <paramref name="sampleRate"/>, rendered in blocks of
    /// <paramref name="blockSize"/> as a listener at that rate and block size receives it.
    /// </summary>
    public Sound Render(double seconds, int sampleRate = 48_000, int blockSize = 256) => Create(sampleRate).Render(seconds, blockSize);

    /// <inheritdoc />
    public override string ToString() => Name;
}
