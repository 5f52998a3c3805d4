using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SynthNotebook.Notebook;
using SynthNotebook.Processing;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Notebook.Charts;

namespace SynthNotebook.Tests.Notebook;

/// <summary>notebooks/RealTimeSynthesis.ipynb, replayed cell by cell as the C# kernel runs it, and its outputs checked.</summary>
[Collection(KernelExtensionCollection.Name)]
public sealed class NotebookTests
{
    public static string NotebookPath => Path.Combine(RepositoryFiles.Root, "notebooks", "RealTimeSynthesis.ipynb");

    [Fact]
    public async Task TheNotebookRunsTopToBottomAndEveryOutputIsWhatItsStepPromises()
    {
        using var folder = new NotebookFolder();
        var replay = NotebookReplay.Open(NotebookPath);

        await replay.RunAllAsync();

        var outputs = replay.Outputs;
        Assert.Equal(1, KernelExtension.Registrations);
        var synth = replay.Variable<Synth>("synth");
        var server = replay.Variable<SynthServer>("server");
        Assert.Equal((5, 44_100, 4096), (synth.ComponentCount, synth.SampleRate, synth.BlockSize));

        // Two glued buffers: exactly two consecutive blocks of the synth as the notebook left it.
        var glued = Assert.Single(Figure.AllInHtml(OutputOf(outputs, "Plot.GluedBlocks(synth)")));
        Assert.Equal(8192, glued.Traces.Sum(t => t.Y.Length));
        Assert.Equal(synth.RenderBlocks(2), glued.Traces.SelectMany(t => t.Y));
        Assert.Equal(220, synth.GetFrequency(0));   // the sliders cell's change is in it

        var spectrum = Assert.Single(Figure.AllInHtml(OutputOf(outputs, "Plot.Spectrum(synth)")));
        Assert.Equal("log", spectrum.XAxisType);

        // The server card, then the player bound to that running server.
        Assert.Contains($"127.0.0.1:{SynthServerOptions.DefaultPort}", OutputOf(outputs, "var server = SynthServer.Start(synth);"));
        var player = PlayerConfig(outputs.Single(o => o.Cell.Source.Trim() == "synth").Html!);
        Assert.Equal(server.WebSocketUrl.ToString(), player.GetProperty("url").GetString());
        Assert.Equal(server.Token.Value, player.GetProperty("token").GetString());

        // The microphone section: the duplex player of the same server, the filter moved, the chain swapped.
        var microphone = PlayerConfig(OutputOf(outputs, "server.Microphone"));
        Assert.Equal("duplex", microphone.GetProperty("mode").GetString());
        Assert.Equal(server.DuplexPageUrl.ToString(), microphone.GetProperty("duplexPageUrl").GetString());
        Assert.False(microphone.GetProperty("microphone").GetProperty("echoCancellation").GetBoolean());
        Assert.Equal(3000, replay.Variable<FilterSettings>("lowPass").Frequency);
        Assert.Equal(["ring modulator", "gain 2"], server.Chain.Stages);

        // The WAV cell wrote its file where the kernel runs (the notebook's folder) and showed the buffer as a waveform.
        var twoSeconds = replay.Variable<float[]>("twoSeconds");
        Assert.Equal(twoSeconds, WavFile.Read(Path.Combine(folder.Path, "synth.wav")).Samples);
        Assert.Contains("min/max", OutputOf(outputs, "WavFile.Write"));

        // Stop: the server is down and its port free again.
        Assert.False(server.IsRunning);
        Assert.Contains("stopped", OutputOf(outputs, "await server.StopAsync();"));
        using var listener = new TcpListener(IPAddress.Loopback, SynthServerOptions.DefaultPort);
        listener.Start();

        // plotly.js once per page: in the first chart only.
        var withPlotlyJs = outputs.Where(o => o.Html?.Contains("plotly.js v2.28.0", StringComparison.Ordinal) == true).ToList();
        Assert.Same(outputs.First(o => o.Html?.Contains("synthnotebook-chart", StringComparison.Ordinal) == true), Assert.Single(withPlotlyJs));
    }

    [Fact]
    public async Task ThePlayerInTheNotebookTalksToTheRunningServer()
    {
        using var folder = new NotebookFolder();
        var replay = NotebookReplay.Open(NotebookPath);
        CellOutput output;
        do
        {
            output = await replay.RunNextAsync();
        }
        while (output.Cell.Source.Trim() != "synth" || output.Html?.Contains("synth-notebook-player", StringComparison.Ordinal) != true);
        await using var server = replay.Variable<SynthServer>("server");

        var player = PlayerConfig(output.Html);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "vscode-webview://notebook");
        await socket.ConnectAsync(new Uri(player.GetProperty("url").GetString()!), CancellationToken.None);

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal(5, player.GetProperty("components").GetArrayLength());
        Assert.Contains("mountSynthPlayer", output.Html);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Theory]
    [InlineData("#i \"nuget: ../artifacts\"", "Invalid URI")]
    [InlineData("#r \"nuget: Plotly.NET.Interactive\"", "does not run")]
    [InlineData("#!fsharp", "does not run")]
    public async Task ADirectiveTheKernelWouldNotRunFailsTheReplay(string directive, string reason)
    {
        var notebook = Path.Combine(Directory.CreateTempSubdirectory("synthnotebook-replay-").FullName, "n.ipynb");
        File.WriteAllText(notebook, JsonSerializer.Serialize(new
        {
            cells = new[] { new { cell_type = "code", source = new[] { directive + "\n", "1 + 1" } } },
        }));
        var replay = NotebookReplay.Open(notebook);

        var failure = await Assert.ThrowsAsync<NotebookReplayException>(replay.RunNextAsync);

        Assert.Contains(reason, failure.Message);
    }

    [Fact]
    public void TheDibHoldsTheSameCellsAsTheIpynb()
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(NotebookPath));
        var ipynb = notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => (c.GetProperty("cell_type").GetString() == "code" ? "csharp" : "markdown", NotebookReplay.Source(c).Trim()));

        var dib = Regex.Split(File.ReadAllText(Path.ChangeExtension(NotebookPath, ".dib")), @"^#!(\w+)\s*$", RegexOptions.Multiline)
            .Skip(1).Chunk(2).Select(kindAndSource => (kindAndSource[0], kindAndSource[1].Trim())).Where(c => c.Item1 != "meta");

        Assert.Equal(ipynb, dib);
    }

    [Fact]
    public void TheNotebookFindsThePackageThroughItsNuGetConfigNotThroughAPath()
    {
        var config = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "notebooks", "NuGet.config"));
        Assert.Contains("<add key=\"synthnotebook-local\" value=\"../artifacts\" />", config);
        var cells = NotebookReplay.Open(NotebookPath).Cells;
        Assert.Contains(cells, c => c.Source.StartsWith("#r \"nuget: SynthNotebook, ", StringComparison.Ordinal));
        Assert.DoesNotContain(cells, c => c.Source.Contains("#i", StringComparison.Ordinal) || c.Source.Contains("/work/", StringComparison.Ordinal));
    }

    private static string OutputOf(IEnumerable<CellOutput> outputs, string code) =>
        outputs.Single(o => o.Cell.Source.Contains(code, StringComparison.Ordinal)).Html
        ?? throw new InvalidOperationException($"The cell with '{code}' showed nothing.");

    private static JsonElement PlayerConfig(string html)
    {
        var configs = ScriptJson.ValuesAfter(html, @"mountSynthPlayer\(document\.getElementById\(""[\w-]+""\), ");
        Assert.True(configs.Count == 1, $"{configs.Count} players in the output, expected 1");
        return configs[0];
    }
}
