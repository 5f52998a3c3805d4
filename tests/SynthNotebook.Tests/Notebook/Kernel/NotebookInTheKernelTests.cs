using System.Net.WebSockets;
using System.Text.Json;
using SynthNotebook.Processing;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Notebook.Charts;

namespace SynthNotebook.Tests.Notebook.Kernel;

/// <summary>notebooks/RealTimeSynthesis.ipynb run cell by cell in the real C# kernel, from the freshly packed package.</summary>
[Collection(KernelCollection.Name)]
public sealed class NotebookInTheKernelTests
{
    private const string PlotlyJsBanner = "plotly.js v2.28.0";

    [Fact]
    public async Task TheNotebookRunsTopToBottomAndEveryOutputIsWhatItsStepPromises()
    {
        using var folder = new NotebookFolder();
        using var port = new DefaultPortForTests();
        using var kernel = await RealKernel.StartAsync();
        var runs = new List<CellRun>();
        foreach (var cell in NotebookDocument.CSharpCells(NotebookDocument.IpynbPath))
        {
            runs.Add((await kernel.RunAsync(cell)).AssertSucceeded());
        }

        // The #r cell: the extension's banner, carrying plotly.js for the whole page, and the lines that make a sound.
        var banner = Assert.Single(OutputOf(runs, "#r \"nuget: SynthNotebook").Html, h => h.Contains("synthnotebook-banner", StringComparison.Ordinal));
        Assert.Contains($"SynthNotebook {PackedPackage.Version}</b> loaded", banner);
        Assert.Contains("var server = SynthServer.Start(synth);", banner);
        Assert.Contains(PlotlyJsBanner, banner);

        var synth = kernel.Value<Synth>("synth");
        Assert.Equal((5, 44_100, 4096), (synth.ComponentCount, synth.SampleRate, synth.BlockSize));

        // Two glued buffers: exactly two consecutive blocks of the synth as the notebook left it (the sliders cell's
        // change is in it); no chart carries plotly.js again.
        var glued = Assert.Single(Figure.AllInHtml(OutputOf(runs, "Plot.GluedBlocks(synth)").AllHtml));
        Assert.Equal(8192, glued.Traces.Sum(t => t.Y.Length));
        Assert.Equal(220, synth.GetFrequency(0));
        var rendered = synth.RenderBlocks(2);
        Assert.Equal(rendered, glued.Traces.SelectMany(t => t.Y));
        var spectrum = Assert.Single(Figure.AllInHtml(OutputOf(runs, "Plot.Spectrum(synth)").AllHtml));
        Assert.Equal("log", spectrum.XAxisType);
        Assert.Single(runs, r => r.AllHtml.Contains(PlotlyJsBanner, StringComparison.Ordinal));

        // The server card, then the player bound to that server (on a free port here: SYNTHNOTEBOOK_PORT=0).
        var server = kernel.Value<SynthServer>("server");
        Assert.Contains($"127.0.0.1:{server.Port}", OutputOf(runs, "var server = SynthServer.Start(synth);").AllHtml);
        Assert.NotEqual(SynthServerOptions.DefaultPort, server.Port);
        var player = PlayerConfig(runs.Single(r => r.Code.Trim() == "synth").AllHtml);
        Assert.Equal(server.WebSocketUrl.ToString(), player.GetProperty("url").GetString());
        Assert.Equal(server.Token.Value, player.GetProperty("token").GetString());
        Assert.Equal(5, player.GetProperty("components").GetArrayLength());

        // The microphone section: the duplex player of the same server, the filter moved, the chain swapped.
        var microphone = PlayerConfig(OutputOf(runs, "server.Chain = AudioChain.PassThrough.HighPass(80)").AllHtml);
        Assert.Equal("duplex", microphone.GetProperty("mode").GetString());
        Assert.Equal(server.DuplexPageUrl.ToString(), microphone.GetProperty("duplexPageUrl").GetString());
        Assert.False(microphone.GetProperty("microphone").GetProperty("echoCancellation").GetBoolean());
        Assert.True(microphone.GetProperty("monitorMicrophone").GetBoolean(), "the page plays the microphone back by default");
        Assert.Equal(3000, (kernel.Value<FilterSettings>("lowPass")).Frequency);
        Assert.Equal(["ring modulator", "gain 2"], server.Chain.Stages);
        // The microphone for every listener: the server plays the synth mixed with the microphone input (not fed here).
        Assert.Same(synth, server.Source.Synth);
        Assert.Contains(server.MicrophoneInput.Name, server.Source.Name);
        var signal = OutputOf(runs, "server.MicrophoneSignal");
        Assert.Contains("microphone: not fed", string.Concat(signal.Text) + signal.AllHtml);

        // The WAV cell wrote its file where the kernel runs (the notebook's folder) and showed the sound: its waveform,
        // and an audio element holding the same samples, no server needed.
        var twoSeconds = kernel.Value<Sound>("twoSeconds").Samples.ToArray();
        Assert.Equal(twoSeconds, WavFile.Read(Path.Combine(folder.Path, "synth.wav")).Samples);
        var soundHtml = OutputOf(runs, "WavFile.Write").AllHtml;
        Assert.Contains("min/max", soundHtml);
        var wav = Convert.FromBase64String(System.Text.RegularExpressions.Regex.Match(soundHtml, "<audio[^>]* src=\"data:audio/wav;base64,([^\"]+)\"").Groups[1].Value);
        Assert.Equal(twoSeconds, WavFile.Read(wav).Samples);

        // Stop: the server is down and its port free again.
        Assert.False(server.IsRunning);
        Assert.Contains("stopped", OutputOf(runs, "await server.StopAsync();").AllHtml);
        Ports.AssertFree(server.Port);
    }

    [Fact]
    public async Task ThePlayerInTheNotebookTalksToTheRunningServer()
    {
        using var folder = new NotebookFolder();
        using var port = new DefaultPortForTests();
        using var kernel = await RealKernel.StartAsync();
        CellRun? playerCell = null;
        foreach (var cell in NotebookDocument.CSharpCells(NotebookDocument.IpynbPath))
        {
            var run = (await kernel.RunAsync(cell)).AssertSucceeded();
            if (cell.Trim() == "synth" && run.AllHtml.Contains("synth-notebook-player", StringComparison.Ordinal))
            {
                playerCell = run;
                break;
            }
        }
        Assert.NotNull(playerCell);
        await using var server = kernel.Value<SynthServer>("server");

        var player = PlayerConfig(playerCell.AllHtml);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "vscode-webview://notebook");
        await socket.ConnectAsync(new Uri(player.GetProperty("url").GetString()!), CancellationToken.None);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { op = "hello", version = 1, token = player.GetProperty("token").GetString(), sampleRate = 48_000, blockSize = 256 }),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var welcome = new byte[4096];
        var received = await socket.ReceiveAsync(welcome, CancellationToken.None);

        Assert.Contains("\"welcome\"", System.Text.Encoding.UTF8.GetString(welcome, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public void TheDibHoldsTheSameCellsAsTheIpynb()
    {
        var ipynb = NotebookDocument.Ipynb(NotebookDocument.IpynbPath);
        var dib = NotebookDocument.Dib(Path.ChangeExtension(NotebookDocument.IpynbPath, ".dib"));

        Assert.Equal(NotebookDocument.Cells(ipynb), NotebookDocument.Cells(dib));
    }

    [Fact]
    public void TheNotebookFindsThePackageThroughItsNuGetConfigAndNamesThePackagesVersion()
    {
        var config = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "notebooks", "NuGet.config"));
        Assert.Contains("<add key=\"synthnotebook-local\" value=\"../artifacts\" />", config);
        var cells = NotebookDocument.CSharpCells(NotebookDocument.IpynbPath);
        Assert.Contains(cells, c => c.StartsWith($"#r \"nuget: SynthNotebook, {PackedPackage.Version}\"", StringComparison.Ordinal));
        Assert.DoesNotContain(cells, c => c.Contains("#i", StringComparison.Ordinal) || c.Contains("/work/", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryCellHasAnIdAsNbformatWants()
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(NotebookDocument.IpynbPath));
        var ids = notebook.RootElement.GetProperty("cells").EnumerateArray().Select(c => c.TryGetProperty("id", out var id) ? id.GetString() : null).ToList();

        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", id ?? ""));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }


    private static CellRun OutputOf(IEnumerable<CellRun> runs, string code) =>
        runs.Single(r => r.Code.Contains(code, StringComparison.Ordinal));

    private static JsonElement PlayerConfig(string html)
    {
        var configs = ScriptJson.ValuesAfter(html, @"mountSynthPlayer\(document\.getElementById\(""[\w-]+""\), ");
        Assert.True(configs.Count == 1, $"{configs.Count} players in the output, expected 1");
        return configs[0];
    }
}

/// <summary>The notebook's servers start on a free port in tests (a user's demo or Jupyter may hold the default one).</summary>
internal sealed class DefaultPortForTests : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable(SynthServerOptions.PortVariable);

    public DefaultPortForTests() => Environment.SetEnvironmentVariable(SynthServerOptions.PortVariable, "0");

    public void Dispose() => Environment.SetEnvironmentVariable(SynthServerOptions.PortVariable, _previous);
}
