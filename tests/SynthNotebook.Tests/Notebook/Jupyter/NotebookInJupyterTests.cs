using System.Text.Json;
using SynthNotebook.Instruments;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Notebook.Charts;
using SynthNotebook.Tests.Notebook.Kernel;

namespace SynthNotebook.Tests.Notebook.Jupyter;

/// <summary>The notebook executed by Jupyter (nbconvert) with the real dotnet-interactive kernel tool.</summary>
[Collection(KernelCollection.Name)]
public sealed class NotebookInJupyterTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(6);

    [Fact]
    public void NbconvertRunsTheNotebookInTheToolKernelWithNoErrorAndEveryOutputChecked()
    {
        var (folder, notebook) = ExecuteWithoutErrors(NotebookDocument.IpynbPath);
        var banner = notebook.Cell("#r \"nuget: SynthNotebook").Html;
        Assert.Contains($"SynthNotebook {PackedPackage.Version}</b> loaded", banner);
        Assert.Contains("plotly.js v2.28.0", banner);

        // The same synth as the notebook's, changed the same way: the glued blocks are its first two blocks.
        var synth = new Synth(componentCount: 5, lowestFrequency: 200, highestFrequency: 400, sampleRate: 44_100, blockSize: 4096);
        synth.SetFrequency(0, 220);
        synth.SetAmplitude(4, 0.5);
        var glued = Assert.Single(Figure.AllInHtml(notebook.Cell("Plot.GluedBlocks(synth)").Html));
        Assert.Equal(synth.RenderBlocks(2), glued.Traces.SelectMany(t => t.Y));
        Assert.Equal("log", Assert.Single(Figure.AllInHtml(notebook.Cell("Plot.Spectrum(synth)").Html)).XAxisType);
        Assert.DoesNotContain(notebook.Cells.Skip(1), c => c.Html.Contains("plotly.js v2.28.0", StringComparison.Ordinal));

        // The server on a free port (not the default one), the player bound to it, the stop cell's card.
        var card = notebook.Cell("var server = SynthServer.Start(synth);").Html;
        var port = int.Parse(System.Text.RegularExpressions.Regex.Match(card, @"127\.0\.0\.1:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(global::SynthNotebook.Streaming.SynthServerOptions.DefaultPort, port);
        var player = ScriptJson.ValuesAfter(notebook.Cells.Single(c => c.Source.Trim() == "synth").Html,
            @"mountSynthPlayer\(document\.getElementById\(""[\w-]+""\), ").Single();
        Assert.StartsWith($"ws://127.0.0.1:{port}/?token=", player.GetProperty("url").GetString());
        Assert.Contains("stopped", notebook.Cell("await server.StopAsync();").Html);

        // The WAV file, written in the notebook's folder, holds the two seconds the cell rendered.
        Assert.Equal(synth.RenderSeconds(2), WavFile.Read(Path.Combine(folder, "synth.wav")).Samples);
        // The kernel has ended with nbconvert: the stopped server's port is free.
        Ports.AssertFree(port);
    }

    [Fact]
    public void NbconvertRunsTheOwnSoundNotebookInTheToolKernelAndItsWavIsThePatternOffline()
    {
        var (folder, notebook) = ExecuteWithoutErrors(OwnSoundNotebookTests.IpynbPath);
        Assert.Contains("mountSynthPlayer", notebook.Cell("server.Synth").Html);
        Assert.Contains("mountSynthPlayer", notebook.Cell("name: \"square keys\"").Html);
        Assert.Contains("<audio", notebook.Cell("take.WriteWav").Html);
        // The notebook's instrument and pattern, rebuilt here: its WAV is their offline render, sample for sample.
        var keys = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Square, PulseWidth = 0.3, Cutoff = 1_800 });
        var riff = Pattern.Steps("C4 E4 G4 C5 G4 E4+G4 C4 -", bpm: 160).Repeat(2);
        Assert.Equal(keys.Render(riff).Samples.ToArray(), WavFile.Read(Path.Combine(folder, "riff.wav")).Samples);
        Assert.Contains("stopped", notebook.Cell("await server.StopAsync();").Html);
    }

    [Fact]
    public void InTheToolKernelPlotlyNetInteractiveCannotBuildAChartWhereSynthNotebooksPlotDoes()
    {
        var folder = JupyterSetup.NotebookFolder(NotebookDocument.IpynbPath);
        File.WriteAllText(Path.Combine(folder, "plotly.ipynb"), NotebookOf(
            $"#r \"nuget: SynthNotebook, {PackedPackage.Version}\"\nusing SynthNotebook.Notebook.Charts;\nusing SynthNotebook.Synthesis;",
            "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"",
            "Plotly.NET.Chart.Invisible()",
            "Plot.Spectrum(new Synth())"));

        var (code, log) = JupyterSetup.Run(JupyterSetup.Jupyter,
            ["nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--ExecutePreprocessor.timeout=300", "--output", "executed.ipynb", "plotly.ipynb"],
            folder, Limit);
        Assert.True(code == 0, log);
        var notebook = ExecutedNotebook.Read(Path.Combine(folder, "executed.ipynb"));

        Assert.Empty(notebook.Cell("#r \"nuget: Plotly.NET.Interactive").Errors);
        Assert.Contains(notebook.Cell("Plotly.NET.Chart.Invisible()").Errors, e => e.Contains("FSharp.Core, Version=10.1.0.0", StringComparison.Ordinal));
        var ours = notebook.Cell("Plot.Spectrum(new Synth())");
        Assert.Empty(ours.Errors);
        Assert.Single(Figure.AllInHtml(ours.Html));
    }

    /// <summary>Runs a notebook of notebooks/ through nbconvert in a folder of its own; every cell must run without an error.</summary>
    private static (string Folder, ExecutedNotebook Notebook) ExecuteWithoutErrors(string ipynbPath)
    {
        var folder = JupyterSetup.NotebookFolder(ipynbPath);
        var (code, log) = JupyterSetup.Run(JupyterSetup.Jupyter,
            ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300", "--output", "executed.ipynb", Path.GetFileName(ipynbPath)],
            folder, Limit);
        Assert.True(code == 0, log);
        var notebook = ExecutedNotebook.Read(Path.Combine(folder, "executed.ipynb"));
        Assert.All(notebook.Cells, cell => Assert.True(cell.Errors.Count == 0, $"{string.Join("; ", cell.Errors)}\n--- cell ---\n{cell.Source}"));
        return (folder, notebook);
    }

    private static string NotebookOf(params string[] cells) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new { kernelspec = new { name = ".net-csharp", display_name = ".NET (C#)", language = "C#" } },
        ["cells"] = cells.Select((source, i) => new Dictionary<string, object?>
        {
            ["id"] = $"cell-{i}",
            ["cell_type"] = "code",
            ["metadata"] = new { },
            ["execution_count"] = null,
            ["outputs"] = Array.Empty<object>(),
            ["source"] = source,
        }),
    });
}
