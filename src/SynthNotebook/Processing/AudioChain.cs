using System.Collections.Immutable;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Processing;

/// <summary>
/// What to do with incoming audio, as a list of stages; immutable, so a notebook cell can build a new chain and hand it
/// to a running server. Each stream makes its own processors from it (<see cref="Create"/>), since filters keep state.
/// </summary>
/// <example><code>server.Chain = AudioChain.PassThrough.HighPass(80).Gain(0.5);</code></example>
public sealed class AudioChain
{
    private readonly ImmutableArray<(string Name, Func<int, IAudioProcessor> Create)> _stages;

    private AudioChain(ImmutableArray<(string, Func<int, IAudioProcessor>)> stages) => _stages = stages;

    /// <summary>The empty chain: audio comes back as it went in.</summary>
    public static AudioChain PassThrough { get; } = new([]);

    /// <summary>The stages' names, in order.</summary>
    public IReadOnlyList<string> Stages => _stages.Select(s => s.Name).ToList();

    /// <summary>This chain followed by a stage of your own, made per stream for its sample rate.</summary>
    public AudioChain Then(string name, Func<int, IAudioProcessor> createForSampleRate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createForSampleRate);
        return new AudioChain(_stages.Add((name, createForSampleRate)));
    }

    /// <summary>Multiplies by <paramref name="gain"/> (0–4).</summary>
    public AudioChain Gain(double gain)
    {
        ParameterGuard.InRange(gain, 0, SynthLimits.MaxGain, "", nameof(gain));
        return Then($"gain {gain:0.###}", _ => new GainProcessor((float)gain));
    }

    /// <summary>A second-order low-pass at <paramref name="frequency"/> Hz.</summary>
    public AudioChain LowPass(double frequency, double q = FilterSettings.ButterworthQ) =>
        Filter(new FilterSettings(FilterType.LowPass, frequency, q));

    /// <summary>A second-order high-pass at <paramref name="frequency"/> Hz.</summary>
    public AudioChain HighPass(double frequency, double q = FilterSettings.ButterworthQ) =>
        Filter(new FilterSettings(FilterType.HighPass, frequency, q));

    /// <summary>A second-order band-pass (0 dB at its centre) around <paramref name="frequency"/> Hz.</summary>
    public AudioChain BandPass(double frequency, double q = 1) =>
        Filter(new FilterSettings(FilterType.BandPass, frequency, q));

    /// <summary>A filter that follows <paramref name="settings"/>: change them from a cell and the filter glides there.</summary>
    public AudioChain Filter(FilterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Then($"{settings.Type} filter", sampleRate => new BiquadFilter(settings, sampleRate));
    }

    /// <summary>
    /// An echo every <paramref name="delaySeconds"/> (1 ms–5 s), each <paramref name="feedback"/> (0–0.95) times the
    /// one before, added at <paramref name="mix"/> (0–1) to the sound itself.
    /// </summary>
    public AudioChain Echo(double delaySeconds, double feedback = 0.4, double mix = 0.5)
    {
        ParameterGuard.InRange(delaySeconds, 0.001, 5, " s", nameof(delaySeconds));
        ParameterGuard.InRange(feedback, 0, 0.95, "", nameof(feedback));
        ParameterGuard.InRange(mix, 0, 1, "", nameof(mix));
        return Then($"echo {delaySeconds * 1000:0.#} ms", sampleRate => new EchoProcessor(sampleRate, delaySeconds, feedback, mix));
    }

    /// <summary>Multiplies by a voice of <paramref name="synth"/> (normalised by its component count): ring modulation.</summary>
    public AudioChain RingModulate(Synth synth)
    {
        ArgumentNullException.ThrowIfNull(synth);
        return Then("ring modulator", sampleRate => new RingModulator(synth.CreateVoice(sampleRate), synth.ComponentCount));
    }

    /// <summary>The processors of one stream at <paramref name="sampleRate"/>, run in order.</summary>
    public IAudioProcessor Create(int sampleRate)
    {
        ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        return _stages.Length switch
        {
            0 => PassThroughProcessor.Instance,
            1 => _stages[0].Create(sampleRate),
            _ => SerialProcessor.Of(_stages.Select(stage => stage.Create(sampleRate)).ToArray()),
        };
    }

    /// <summary>The stages, for plain-text outputs.</summary>
    public override string ToString() => _stages.Length == 0 ? "pass-through" : string.Join(" → ", Stages);

    private sealed class PassThroughProcessor : IRewindableProcessor
    {
        public static readonly PassThroughProcessor Instance = new();

        public void Process(Span<float> block)
        {
        }

        public ISourceCheckpoint CreateCheckpoint() => StatelessCheckpoint.Instance;
    }

    private class SerialProcessor(IAudioProcessor[] stages) : IAudioProcessor
    {
        protected IAudioProcessor[] Stages => stages;

        /// <summary>Rewindable when every stage is.</summary>
        public static SerialProcessor Of(IAudioProcessor[] stages)
            => stages.All(stage => stage is IRewindableProcessor) ? new RewindableSerialProcessor(stages) : new SerialProcessor(stages);

        public void Process(Span<float> block)
        {
            foreach (var stage in stages)
            {
                stage.Process(block);
            }
        }
    }

    private sealed class RewindableSerialProcessor(IAudioProcessor[] stages) : SerialProcessor(stages), IRewindableProcessor
    {
        public ISourceCheckpoint CreateCheckpoint()
            => new CheckpointGroup([.. Stages.Select(stage => ((IRewindableProcessor)stage).CreateCheckpoint())]);
    }
}
