using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>
/// One thread renders while others change parameters: no exception, the output stays finite and within
/// ±MaxGain, no change is lost (the version counts every one) and the voice ends on the final parameters.
/// </summary>
public class ThreadSafetyTests
{
    private const int Blocks = 2_000;
    private const int ChangesPerWriter = 3_000;

    [Fact]
    public void RenderingWhileOtherThreadsChangeParameters()
    {
        var synth = new Synth();
        var voice = synth.CreateVoice(48_000);
        var eventVersions = new System.Collections.Concurrent.ConcurrentBag<long>();
        synth.ParametersChanged += p => eventVersions.Add(p.Version);

        using var start = new Barrier(3);
        Exception? renderError = null;
        var badSamples = 0L;
        var maxAbs = 0.0;
        var versionsSeen = new List<long>(Blocks);

        var renderer = new Thread(() =>
        {
            try
            {
                var block = new float[Synth.DefaultBlockSize];
                start.SignalAndWait();
                for (var b = 0; b < Blocks; b++)
                {
                    voice.Read(block);
                    versionsSeen.Add(voice.ParametersVersion);
                    foreach (var s in block)
                    {
                        if (!float.IsFinite(s) || Math.Abs(s) > SynthLimits.MaxGain)
                        {
                            badSamples++;
                        }
                        maxAbs = Math.Max(maxAbs, Math.Abs(s));
                    }
                }
            }
            catch (Exception ex)
            {
                renderError = ex;
            }
        });

        Exception? frequencyError = null;
        var frequencyWriter = new Thread(() =>
        {
            try
            {
                var random = new Random(1);
                start.SignalAndWait();
                for (var i = 0; i < ChangesPerWriter; i++)
                {
                    synth.SetFrequency(random.Next(synth.ComponentCount), random.NextDouble() * synth.MaxFrequency);
                }
            }
            catch (Exception ex)
            {
                frequencyError = ex;
            }
        });

        Exception? levelError = null;
        var levelWriter = new Thread(() =>
        {
            try
            {
                var random = new Random(2);
                start.SignalAndWait();
                for (var i = 0; i < ChangesPerWriter; i++)
                {
                    switch (i % 3)
                    {
                        case 0:
                            synth.SetAmplitude(random.Next(synth.ComponentCount), random.NextDouble());
                            break;
                        case 1:
                            synth.Gain = random.NextDouble() * SynthLimits.MaxGain;
                            break;
                        default:
                            synth.Set(random.Next(synth.ComponentCount), random.NextDouble() * 2000, random.NextDouble());
                            break;
                    }
                }
                synth.Gain = SynthLimits.MaxGain; // the last change of this writer
            }
            catch (Exception ex)
            {
                levelError = ex;
            }
        });

        renderer.Start();
        frequencyWriter.Start();
        levelWriter.Start();
        renderer.Join();
        frequencyWriter.Join();
        levelWriter.Join();

        Assert.Null(renderError);
        Assert.Null(frequencyError);
        Assert.Null(levelError);
        Assert.Equal(0, badSamples);
        Assert.InRange(maxAbs, 0, SynthLimits.MaxGain);

        const int TotalChanges = 2 * ChangesPerWriter + 1;
        Assert.Equal(TotalChanges, synth.Parameters.Version);
        // One event per change, each with its own version: no two changes were published as the same snapshot.
        Assert.Equal(Enumerable.Range(1, TotalChanges).Select(v => (long)v), eventVersions.Order());
        Assert.Equal(SynthLimits.MaxGain, synth.Gain);
        // The voice took up snapshots in publication order, never an older one after a newer one.
        Assert.Equal(Blocks, versionsSeen.Count);
        Assert.Equal(versionsSeen.Order(), versionsSeen);
        Assert.All(versionsSeen, v => Assert.InRange(v, 0, TotalChanges));

        // The voice takes up the final parameters on its next read.
        voice.Read(new float[4096]);
        Assert.Equal(TotalChanges, voice.ParametersVersion);
    }

    [Fact]
    public void ConcurrentWritersLoseNoChange()
    {
        var synth = new Synth(64);
        const int Writers = 4;
        const int PerWriter = 2_500;
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                // Each writer owns 16 components; its last write to each is amplitude (i / PerWriter).
                synth.SetAmplitude(w * 16 + i % 16, (double)i / PerWriter);
            }
        });
        Assert.Equal(Writers * PerWriter, synth.Parameters.Version);
        for (var w = 0; w < Writers; w++)
        {
            for (var c = 0; c < 16; c++)
            {
                var lastI = c + 16 * ((PerWriter - 1 - c) / 16); // the writer's last i with i % 16 == c
                Assert.Equal((double)lastI / PerWriter, synth.GetAmplitude(w * 16 + c));
            }
        }
    }
}
