using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// Parameter changes glide over the ramp (10 ms by default) instead of stepping: the output's first and second
/// differences never exceed what the old and new parameters imply for a smooth signal. With no ramp the same check
/// fails, which shows it can.
/// </summary>
public class SmoothingTests
{
    private const int Rate = Synth.DefaultSampleRate;
    private const int DefaultRampSamples = 441; // 10 ms at 44.1 kHz

    /// <summary>Float output: each sample carries ≤ 2^-24 relative rounding; differences add a few of those.</summary>
    private const double FirstEpsilon = 1e-6;
    private const double SecondEpsilon = 2e-6;

    private sealed record State(double[] Frequencies, double[] Amplitudes, double Gain)
    {
        public static State Of(Synth synth)
        {
            var p = synth.Parameters;
            return new State([.. p.Components.Select(c => c.Frequency)], [.. p.Components.Select(c => c.Amplitude)], p.Gain);
        }
    }

    /// <summary>
    /// Largest |Δx| and |Δ²x| a click-free glide from <paramref name="old"/> to <paramref name="new"/> can produce, for
    /// x[n] = g[n]/N·Σ a_k[n]·sin θ_k[n] with g, a_k and the phase increment ω_k moving linearly over
    /// <paramref name="rampSamples"/> samples:
    /// |Δx| ≤ G·Σ(A_k ω_k + da_k)/N + dg·S and
    /// |Δ²x| ≤ G·Σ(A_k ω_k² + A_k dω_k + 2 da_k ω_k + 2 da_k)/N + 2 dg·S + 2 dg·Σ(A_k ω_k + da_k)/N,
    /// where ω_k = 2π·max(f_old, f_new)/fs, A_k and G are the larger amplitude and gain, d· are the per-sample
    /// steps of the glide and S = ΣA_k/N. (|Δ²a| ≤ 2·da covers a glide restarted in the opposite direction;
    /// |Δ² sin θ| ≤ ω² + dω since Δ²θ is one step of the increment.)
    /// </summary>
    private static (double First, double Second) Bounds(State old, State @new, int sampleRate, int rampSamples)
    {
        var n = old.Frequencies.Length;
        var g = Math.Max(old.Gain, @new.Gain);
        var dg = Math.Abs(@new.Gain - old.Gain) / rampSamples;
        double slope = 0, curvature = 0, sumA = 0;
        for (var k = 0; k < n; k++)
        {
            var omega = 2 * Math.PI * Math.Max(old.Frequencies[k], @new.Frequencies[k]) / sampleRate;
            var dOmega = 2 * Math.PI * Math.Abs(@new.Frequencies[k] - old.Frequencies[k]) / sampleRate / rampSamples;
            var a = Math.Max(old.Amplitudes[k], @new.Amplitudes[k]);
            var da = Math.Abs(@new.Amplitudes[k] - old.Amplitudes[k]) / rampSamples;
            slope += a * omega + da;
            curvature += a * omega * omega + a * dOmega + 2 * da * omega + 2 * da;
            sumA += a;
        }
        var first = g * slope / n + dg * sumA / n;
        var second = g * curvature / n + 2 * dg * sumA / n + 2 * dg * slope / n;
        return (first + FirstEpsilon, second + SecondEpsilon);
    }

    private static (double First, double Second) MaxDifferences(ReadOnlySpan<float> x)
    {
        double first = 0, second = 0;
        for (var i = 1; i < x.Length; i++)
        {
            first = Math.Max(first, Math.Abs((double)x[i] - x[i - 1]));
            if (i >= 2)
            {
                second = Math.Max(second, Math.Abs((double)x[i] - 2.0 * x[i - 1] + x[i - 2]));
            }
        }
        return (first, second);
    }

    /// <summary>Where the reference signal is largest in [from, to): a change there is a change mid-waveform.</summary>
    private static int LoudestSample(float[] x, int from, int to)
    {
        var best = from;
        for (var i = from; i < to; i++)
        {
            if (Math.Abs(x[i]) > Math.Abs(x[best]))
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>Renders <paramref name="changeAt"/> samples, applies <paramref name="change"/>, renders the rest.</summary>
    private static (float[] Output, State Old, State New) RenderAcrossChange(Synth synth, int changeAt, int total,
        Action<Synth> change, int chunk = 512)
    {
        var voice = synth.CreateVoice();
        var output = new float[total];
        voice.Read(output.AsSpan(0, changeAt));
        var old = State.Of(synth);
        change(synth);
        var @new = State.Of(synth);
        Reference.ReadInChunks(voice, output.AsSpan(changeAt), [chunk]);
        return (output, old, @new);
    }

    public static TheoryData<string> Changes => ["frequency", "amplitude", "gain up", "gain down", "everything", "far jump"];

    private static void Apply(Synth synth, string change)
    {
        switch (change)
        {
            case "frequency":
                synth.SetFrequency(4, 1000);
                synth.SetFrequency(0, 50);
                break;
            case "amplitude":
                synth.SetAmplitude(2, 0);
                synth.SetAmplitude(4, 0.25);
                break;
            case "gain up":
                synth.Gain = SynthLimits.MaxGain;
                break;
            case "gain down":
                synth.Gain = 0;
                break;
            case "everything":
                synth.Set(0, 800, 0.2);
                synth.Set(3, 90, 0);
                synth.SetFrequency(1, 3000);
                synth.Gain = 2.5;
                break;
            case "far jump":
                synth.SetFrequency(0, 15_000);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void ChangesWithTheDefaultRampDoNotClick(string change)
    {
        const int Total = 4 * Synth.DefaultBlockSize;
        var reference = new Synth().RenderBlocks(1);
        var changeAt = LoudestSample(reference, 2000, 4000);
        Assert.True(Math.Abs(reference[changeAt]) > 0.5);

        var (output, old, @new) = RenderAcrossChange(new Synth(), changeAt, Total, s => Apply(s, change));
        var (first, second) = MaxDifferences(output);
        var bounds = Bounds(old, @new, Rate, DefaultRampSamples);

        Assert.True(first <= bounds.First, $"max |Δx| = {first} exceeds the smooth bound {bounds.First}");
        Assert.True(second <= bounds.Second, $"max |Δ²x| = {second} exceeds the smooth bound {bounds.Second}");
    }

    [Fact]
    public void ChangesEverySixtyFourSamplesStillDoNotClick()
    {
        // Restarting a glide from wherever the previous one had got to keeps the output smooth.
        var synth = new Synth();
        var voice = synth.CreateVoice();
        var output = new float[64 * 100];
        var random = new Random(1234);
        var lowest = State.Of(synth);
        var highest = State.Of(synth);
        for (var b = 0; b < 100; b++)
        {
            var component = random.Next(5);
            synth.Set(component, 100 + random.NextDouble() * 900, random.NextDouble());
            synth.Gain = random.NextDouble() * 2;
            var now = State.Of(synth);
            for (var k = 0; k < 5; k++)
            {
                lowest.Frequencies[k] = Math.Min(lowest.Frequencies[k], now.Frequencies[k]);
                highest.Frequencies[k] = Math.Max(highest.Frequencies[k], now.Frequencies[k]);
                lowest.Amplitudes[k] = Math.Min(lowest.Amplitudes[k], now.Amplitudes[k]);
                highest.Amplitudes[k] = Math.Max(highest.Amplitudes[k], now.Amplitudes[k]);
            }
            lowest = lowest with { Gain = Math.Min(lowest.Gain, now.Gain) };
            highest = highest with { Gain = Math.Max(highest.Gain, now.Gain) };
            voice.Read(output.AsSpan(b * 64, 64));
        }

        // Every glide step is at most (largest − smallest value)/ramp, so the bound over the whole range holds.
        var (first, second) = MaxDifferences(output);
        var bounds = Bounds(lowest, highest, Rate, DefaultRampSamples);
        Assert.True(first <= bounds.First, $"max |Δx| = {first} exceeds {bounds.First}");
        Assert.True(second <= bounds.Second, $"max |Δ²x| = {second} exceeds {bounds.Second}");
    }

    [Fact]
    public void AnAmplitudeStepWithoutRampClicksAndTheSameStepWithTheDefaultRampDoesNot()
    {
        const int Total = 8192;
        var reference = new Synth([200.0]).RenderBlocks(1);
        var changeAt = LoudestSample(reference, 2000, 4000);
        Assert.True(Math.Abs(reference[changeAt]) > 0.99, "the change should happen at a crest");

        var (smooth, old, @new) = RenderAcrossChange(new Synth([200.0]), changeAt, Total, s => s.SetAmplitude(0, 0));
        var (stepped, _, _) = RenderAcrossChange(new Synth([200.0], ramp: TimeSpan.Zero), changeAt, Total,
            s => s.SetAmplitude(0, 0));
        var bounds = Bounds(old, @new, Rate, DefaultRampSamples);

        var smoothDifferences = MaxDifferences(smooth);
        Assert.True(smoothDifferences.First <= bounds.First, $"{smoothDifferences.First} > {bounds.First}");
        Assert.True(smoothDifferences.Second <= bounds.Second, $"{smoothDifferences.Second} > {bounds.Second}");

        var steppedDifferences = MaxDifferences(stepped);
        Assert.True(steppedDifferences.First > bounds.First, "a step to silence at a crest should break the slope bound");
        Assert.True(steppedDifferences.First > 0.9, $"the click should be about one full-scale step, got {steppedDifferences.First}");
        Assert.True(steppedDifferences.Second > bounds.Second);
        Assert.All(stepped.AsSpan(changeAt).ToArray(), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void AFrequencyStepWithoutRampBreaksTheCurvatureBoundAndTheGlideDoesNot()
    {
        const int Total = 8192;
        var reference = new Synth([200.0]).RenderBlocks(1);
        // At a zero crossing the slope is steepest, so an instant frequency change bends the waveform most.
        var changeAt = 2000;
        for (var i = 2000; i < 4000; i++)
        {
            if (Math.Abs(reference[i]) < Math.Abs(reference[changeAt]))
            {
                changeAt = i;
            }
        }

        var (smooth, old, @new) = RenderAcrossChange(new Synth([200.0]), changeAt, Total, s => s.SetFrequency(0, 1000));
        var (stepped, _, _) = RenderAcrossChange(new Synth([200.0], ramp: TimeSpan.Zero), changeAt, Total,
            s => s.SetFrequency(0, 1000));
        var bounds = Bounds(old, @new, Rate, DefaultRampSamples);

        Assert.True(MaxDifferences(smooth).Second <= bounds.Second);
        Assert.True(MaxDifferences(stepped).Second > bounds.Second,
            $"an instant 200→1000 Hz step should bend the waveform by more than {bounds.Second}");
    }

    /// <summary>Instantaneous frequency of a single sine from three samples: cos ω = (x[n+1] + x[n−1]) / (2x[n]).</summary>
    private static double InstantaneousFrequency(float[] x, int n, int sampleRate)
        => Math.Acos(Math.Clamp((x[n + 1] + (double)x[n - 1]) / (2.0 * x[n]), -1, 1)) * sampleRate / (2 * Math.PI);

    [Theory]
    [InlineData(44_100)]
    [InlineData(48_000)]
    public void FrequencyGlideLastsTheRampAndLandsOnTheTarget(int voiceRate)
    {
        var synth = new Synth([500.0]);
        var voice = synth.CreateVoice(voiceRate);
        var ramp = (int)Math.Round(Synth.DefaultRamp.TotalSeconds * voiceRate);
        const int ChangeAt = 3000;
        var x = new float[ChangeAt + 6000];
        voice.Read(x.AsSpan(0, ChangeAt));
        synth.SetFrequency(0, 1000);
        Reference.ReadInChunks(voice, x.AsSpan(ChangeAt), [256]);

        var checkedBefore = 0;
        var checkedDuring = 0;
        var checkedAfter = 0;
        for (var n = 1; n < x.Length - 1; n++)
        {
            var f = InstantaneousFrequency(x, n, voiceRate);
            if (n < ChangeAt - 1 && Math.Abs(x[n]) > 0.5)
            {
                Assert.True(Math.Abs(f - 500) < 0.5, $"before the change f({n}) = {f}");
                checkedBefore++;
            }
            else if (n > ChangeAt + 10 && n < ChangeAt + ramp - 20 && Math.Abs(x[n]) > 0.9)
            {
                // A linear glide: 500 Hz + 500 Hz · (samples since the change) / ramp, still short of the target.
                var expected = 500 + 500.0 * (n - ChangeAt) / ramp;
                Assert.True(Math.Abs(f - expected) < 15, $"during the glide f({n}) = {f}, expected ≈ {expected}");
                Assert.True(f < 990, $"f({n}) = {f} reached the target before the ramp ended");
                checkedDuring++;
            }
            else if (n > ChangeAt + ramp && Math.Abs(x[n]) > 0.5)
            {
                Assert.True(Math.Abs(f - 1000) < 0.5, $"after the ramp f({n}) = {f}");
                checkedAfter++;
            }
        }
        Assert.True(checkedBefore > 100 && checkedDuring > 10 && checkedAfter > 100,
            $"too few samples checked: {checkedBefore}, {checkedDuring}, {checkedAfter}");

        // The glide also shows in the spectrum: the settled part has its single peak at 1000 Hz.
        var settled = x.AsSpan(ChangeAt + ramp, 4096).ToArray();
        var magnitudes = Spectrum.Magnitudes(settled);
        Assert.InRange(Spectrum.BinToHz(Spectrum.PeakBin(magnitudes), 4096, voiceRate), 1000 - 12, 1000 + 12);
    }

    [Theory]
    [InlineData(44_100)]
    [InlineData(48_000)]
    public void AmplitudeGlideFadesLinearlyOverTheRamp(int voiceRate)
    {
        var synth = new Synth([500.0]);
        var voice = synth.CreateVoice(voiceRate);
        var ramp = (int)Math.Round(Synth.DefaultRamp.TotalSeconds * voiceRate);
        const int ChangeAt = 3000;
        var x = new float[ChangeAt + 4096];
        voice.Read(x.AsSpan(0, ChangeAt));
        synth.SetAmplitude(0, 0);
        Reference.ReadInChunks(voice, x.AsSpan(ChangeAt), [100]);

        for (var j = 0; j < ramp; j++)
        {
            var envelope = 1.0 - (double)j / ramp;
            Assert.True(Math.Abs(x[ChangeAt + j]) <= envelope + 1e-6, $"sample {j} of the fade exceeds {envelope}");
        }
        // Still audible late in the ramp (the fade is not over early)...
        Assert.True(Reference.MaxAbs(x.AsSpan(ChangeAt + ramp - 2 * voiceRate / 500, 2 * voiceRate / 500)) > 0.01);
        // ...and silent exactly from the end of the ramp.
        Assert.All(x.AsSpan(ChangeAt + ramp).ToArray(), s => Assert.Equal(0f, s));
    }

    /// <summary>
    /// A gain change taken up before any sample is rendered (a zero-length Read, or Skip(0)) and then reverted must
    /// leave the output as if nothing had happened: no fade towards the abandoned target, no jump back at its end.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GainChangeRevertedBeforeAnySampleLeavesTheOutputUnchanged(bool zeroLengthRead)
    {
        var synth = new Synth();
        var voice = synth.CreateVoice();
        var untouched = new Synth().CreateVoice();
        voice.Read(new float[1000]);
        untouched.Read(new float[1000]);

        synth.Gain = 0;
        if (zeroLengthRead)
        {
            voice.Read(Span<float>.Empty);
        }
        else
        {
            voice.Skip(0);
        }
        synth.Gain = 1;

        var output = Reference.Read(voice, 4096);
        var expected = Reference.Read(untouched, 4096);
        Assert.Equal(synth.Parameters.Version, voice.ParametersVersion);
        Assert.InRange(Reference.MaxAbsDiff(output, expected), 0, 1e-6);
    }

    [Fact]
    public void GainGlideReachesTheTargetAfterTheRamp()
    {
        var synth = new Synth();
        var voice = synth.CreateVoice();
        var steady = new Synth { Gain = 3 }.CreateVoice();
        voice.Read(new float[1000]);
        steady.Read(new float[1000]);
        synth.Gain = 3;

        var during = Reference.Read(voice, DefaultRampSamples);
        var steadyDuring = Reference.Read(steady, DefaultRampSamples);
        Assert.True(Reference.MaxAbsDiff(during, steadyDuring) > 0.01, "the gain should still be gliding");

        var after = Reference.Read(voice, 4096);
        var steadyAfter = Reference.Read(steady, 4096);
        Assert.InRange(Reference.MaxAbsDiff(after, steadyAfter), 0, 1e-6);
    }
}
