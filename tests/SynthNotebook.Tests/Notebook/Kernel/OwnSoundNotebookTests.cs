using SynthNotebook.Instruments;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Notebook.Kernel;

/// <summary>notebooks/MakeYourOwnSound.ipynb run cell by cell in the real C# kernel, from the freshly packed package.</summary>
[Collection(KernelCollection.Name)]
public sealed class OwnSoundNotebookTests
{
    public static string IpynbPath => Path.Combine(RepositoryFiles.Root, "notebooks", "MakeYourOwnSound.ipynb");

    [Fact]
    public async Task TheNotebookRunsTopToBottomSwappingWhatPlaysAndItsTakeIsThePatternOffline()
    {
        using var folder = new NotebookFolder();
        using var port = new DefaultPortForTests();
        using var kernel = await RealKernel.StartAsync();
        var runs = new List<CellRun>();
        SynthServer? server = null;
        var playing = new List<string>();
        foreach (var cell in NotebookDocument.CSharpCells(IpynbPath))
        {
            runs.Add((await kernel.RunAsync(cell)).AssertSucceeded());
            server ??= cell.Contains("SynthServer.Start", StringComparison.Ordinal) ? kernel.Value<SynthServer>("server") : null;
            if (server is not null && (playing.Count == 0 || playing[^1] != server.Source.Name))
            {
                playing.Add(server.Source.Name);
            }
        }

        // Each step put its own sound on the server: the synth, the two lambdas, the class through its effects, two instruments.
        Assert.Equal(["synth (5 sines)", "tremolo 220 Hz", "chirp 200–800 Hz", "wobble 110 Hz → LowPass filter → echo 300 ms", "square keys", "bells"], playing);
        var wobble = runs.Single(r => r.Code.Contains("class Wobble", StringComparison.Ordinal));
        Assert.Contains("wobble 110 Hz → LowPass filter → echo 300 ms", string.Concat(wobble.Html.Concat(wobble.Text)));
        Assert.Contains("<audio", runs.Single(r => r.Code.Contains("server.Source.Render(2", StringComparison.Ordinal)).AllHtml);
        // The instrument shows the player of the server that plays it (its keyboard appears once connected).
        Assert.Contains("mountSynthPlayer", runs.Single(r => r.Code.Contains("name: \"square keys\"", StringComparison.Ordinal)).AllHtml);

        // The take is the pattern rendered offline, and the WAV beside the notebook holds it.
        var keys = kernel.Value<Instrument>("keys");
        var riff = kernel.Value<Pattern>("riff");
        Assert.Equal(16, riff.Notes.Length);
        var take = kernel.Value<Sound>("take").Samples.ToArray();
        Assert.Equal(keys.Render(riff).Samples.ToArray(), take);
        Assert.Equal(take, WavFile.Read(Path.Combine(folder.Path, "riff.wav")).Samples);
        Assert.True(Synthesis.Reference.MaxAbs(take) > 0.1, "the take is not silence");

        Assert.False(server!.IsRunning);
        Ports.AssertFree(server.Port);
    }

    [Fact]
    public void TheDibHoldsTheSameCellsAsTheIpynb()
        => Assert.Equal(NotebookDocument.Cells(NotebookDocument.Ipynb(IpynbPath)),
            NotebookDocument.Cells(NotebookDocument.Dib(Path.ChangeExtension(IpynbPath, ".dib"))));
}
