using System.Collections.Immutable;

namespace SynthNotebook.Synthesis;

/// <summary>
/// The signal a notebook works with: a bank of sine components with shared, thread-safe parameters.
/// Any thread may change a parameter at any time; every listener renders through its own
/// <see cref="OscillatorBank"/> voice (its own phases), which glides to the new values without a click.
/// </summary>
public sealed class Synth
{
    /// <summary>The seed's sample rate, used for offline rendering when none is given.</summary>
    public const int DefaultSampleRate = 44_100;

    /// <summary>The seed's block size.</summary>
    public const int DefaultBlockSize = 4_096;

    /// <summary>How long a parameter change glides by default: short enough to feel instant, long enough not to click.</summary>
    public static readonly TimeSpan DefaultRamp = TimeSpan.FromMilliseconds(10);

    private readonly Lock _writeLock = new();
    private SynthParameters _parameters;

    /// <summary>
    /// Creates <paramref name="componentCount"/> components spaced evenly from <paramref name="lowestFrequency"/> to
    /// <paramref name="highestFrequency"/> (numpy's linspace, as in the seed), each at amplitude 1, gain 1.
    /// </summary>
    public Synth(int componentCount = 5, double lowestFrequency = 200, double highestFrequency = 400,
        int sampleRate = DefaultSampleRate, int blockSize = DefaultBlockSize, TimeSpan? ramp = null)
        : this(Linspace(ParameterGuard.InRange(componentCount, 1, SynthLimits.MaxComponents), lowestFrequency, highestFrequency,
                ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate)),
            sampleRate, blockSize, ramp)
    {
    }

    /// <summary>Creates one component per frequency, each at amplitude 1, gain 1.</summary>
    public Synth(IReadOnlyList<double> frequencies, int sampleRate = DefaultSampleRate, int blockSize = DefaultBlockSize,
        TimeSpan? ramp = null)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        SampleRate = ParameterGuard.InRange(sampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        BlockSize = ParameterGuard.InRange(blockSize, SynthLimits.MinBlockSize, SynthLimits.MaxBlockSize);
        var rampValue = ramp ?? DefaultRamp;
        ParameterGuard.InRange(rampValue.TotalSeconds, 0, SynthLimits.MaxRamp.TotalSeconds, " s", nameof(ramp));
        Ramp = rampValue;
        ParameterGuard.InRange(frequencies.Count, 1, SynthLimits.MaxComponents, "frequencies.Count");

        var components = ImmutableArray.CreateBuilder<ComponentParameters>(frequencies.Count);
        foreach (var frequency in frequencies)
        {
            components.Add(new ComponentParameters(CheckFrequency(frequency), 1.0));
        }
        _parameters = new SynthParameters(0, components.MoveToImmutable(), 1.0);
    }

    /// <summary>Sample rate of offline renders (a streaming listener brings its own).</summary>
    public int SampleRate { get; }

    /// <summary>Samples per block, the unit of rendering and of streaming.</summary>
    public int BlockSize { get; }

    /// <summary>How long a parameter change glides.</summary>
    public TimeSpan Ramp { get; }

    /// <summary>Number of sine components.</summary>
    public int ComponentCount => Parameters.Components.Length;

    /// <summary>Highest frequency a component may take: the Nyquist frequency of <see cref="SampleRate"/>.</summary>
    public double MaxFrequency => SampleRate / 2.0;

    /// <summary>The current parameters (an immutable snapshot).</summary>
    public SynthParameters Parameters => Volatile.Read(ref _parameters);

    /// <summary>Master gain, applied after the 1/N normalisation; in [0, <see cref="SynthLimits.MaxGain"/>].</summary>
    public double Gain
    {
        get => Parameters.Gain;
        set
        {
            var gain = ParameterGuard.InRange(value, 0, SynthLimits.MaxGain, "", nameof(Gain));
            Publish(p => p with { Gain = gain });
        }
    }

    /// <summary>Raised after every change, on the thread that made it, with the snapshot it published.</summary>
    public event Action<SynthParameters>? ParametersChanged;

    /// <summary>Frequency of one component in Hz.</summary>
    public double GetFrequency(int component) => Parameters.Components[CheckComponent(component)].Frequency;

    /// <summary>Linear amplitude of one component.</summary>
    public double GetAmplitude(int component) => Parameters.Components[CheckComponent(component)].Amplitude;

    /// <summary>Sets a component's frequency in Hz, in [0, <see cref="MaxFrequency"/>].</summary>
    public void SetFrequency(int component, double frequency) => Set(component, frequency, null);

    /// <summary>Sets a component's linear amplitude, in [0, <see cref="SynthLimits.MaxAmplitude"/>].</summary>
    public void SetAmplitude(int component, double amplitude) => Set(component, null, amplitude);

    /// <summary>Sets a component's frequency and/or amplitude in one change; a null leaves that value as it is.</summary>
    public void Set(int component, double? frequency, double? amplitude)
    {
        CheckComponent(component);
        if (frequency is { } f)
        {
            CheckFrequency(f);
        }
        if (amplitude is { } a)
        {
            ParameterGuard.InRange(a, 0, SynthLimits.MaxAmplitude, "", nameof(amplitude));
        }
        Publish(p =>
        {
            var old = p.Components[component];
            var updated = new ComponentParameters(frequency ?? old.Frequency, amplitude ?? old.Amplitude);
            return p with { Components = p.Components.SetItem(component, updated) };
        });
    }

    /// <summary>A new voice with its own phases (all at zero), following this synth's parameters.</summary>
    /// <param name="sampleRate">The listener's sample rate; this synth's <see cref="SampleRate"/> when null.</param>
    public OscillatorBank CreateVoice(int? sampleRate = null) => new(this, sampleRate ?? SampleRate);

    private void Publish(Func<SynthParameters, SynthParameters> change)
    {
        SynthParameters published;
        lock (_writeLock)
        {
            var current = _parameters;
            published = change(current) with { Version = current.Version + 1 };
            Volatile.Write(ref _parameters, published);
        }
        ParametersChanged?.Invoke(published);
    }

    private int CheckComponent(int component) => ParameterGuard.InRange(component, 0, ComponentCount - 1);

    private double CheckFrequency(double frequency)
        => ParameterGuard.InRange(frequency, 0, MaxFrequency, " Hz", nameof(frequency));

    private static double[] Linspace(int count, double first, double last, int sampleRate)
    {
        // Checked against this synth's Nyquist frequency, so the error names the argument the caller passed.
        ParameterGuard.InRange(first, 0, sampleRate / 2.0, " Hz", "lowestFrequency");
        ParameterGuard.InRange(last, 0, sampleRate / 2.0, " Hz", "highestFrequency");
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = count == 1 ? first : first + (last - first) * i / (count - 1);
        }
        return values;
    }
}
