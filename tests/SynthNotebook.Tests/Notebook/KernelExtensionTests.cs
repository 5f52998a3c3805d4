using System.Net;
using System.Net.Sockets;
using Microsoft.DotNet.Interactive.Formatting;
using SynthNotebook.Notebook;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Notebook;

/// <summary>Load() stops every server of the process, so these tests run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelExtensionCollection
{
    public const string Name = "Kernel extension";
}

[Collection(KernelExtensionCollection.Name)]
public sealed class KernelExtensionTests
{
    [Fact]
    public void LoadingTwiceRegistersOnce()
    {
        KernelExtension.Load();
        KernelExtension.Load();

        Assert.Equal(1, KernelExtension.Registrations);
        var html = new Synth().ToDisplayString(HtmlFormatter.MimeType);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<table>"));
    }

    [Fact]
    public async Task LoadingAgainStopsTheServersAnEarlierLoadLeftAndFreesTheirPorts()
    {
        KernelExtension.Load();
        var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });

        KernelExtension.Load();

        Assert.False(server.IsRunning);
        Assert.Empty(SynthServer.Running);
        var listener = new TcpListener(IPAddress.Loopback, server.Port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public async Task AServerRendersAsAStatusCard()
    {
        KernelExtension.Load();
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });

        var html = server.ToDisplayString(HtmlFormatter.MimeType);

        Assert.Contains("synth-notebook-server", html);
        Assert.Contains($"127.0.0.1:{server.Port}", html);
        Assert.Contains("""<span data-field="blocks">0</span>""", html);
        Assert.Contains(server.PageUrl.ToString(), html);
    }

    [Fact]
    public async Task ASynthRendersAsThePlayerOfTheServerThatStreamsIt()
    {
        KernelExtension.Load();
        var synth = new Synth();
        Assert.Contains("No server streams this synth", synth.ToDisplayString(HtmlFormatter.MimeType));

        await using var server = await SynthServer.StartAsync(synth, new SynthServerOptions { Port = 0 });
        var html = synth.ToDisplayString(HtmlFormatter.MimeType);

        Assert.Contains("class=\"synth-notebook-player\"", html);
        Assert.Contains("mountSynthPlayer(", html);
        Assert.Contains(server.WebSocketUrl.ToString(), html);
    }
}
