using System.Net.WebSockets;
using System.Text.RegularExpressions;
using SynthNotebook.Tests.Notebook.Kernel;
using SynthNotebook.Tests.Streaming;

namespace SynthNotebook.Tests.Notebook.Jupyter;

/// <summary>
/// A tool kernel that started a server, ended each way a kernel ends: its listeners are told (1001) and the port is
/// free. (Jupyter's Interrupt sends SIGINT, which ends a dotnet-interactive 1.0.712001 kernel.)
/// </summary>
[Collection(KernelCollection.Name)]
public sealed partial class KernelEndingTests
{
    [Fact]
    public async Task JupytersShutdownStopsTheServer() => await EndAsync(kernel => kernel.ShutdownAsync());

    [Fact]
    public async Task SigtermEndsAKernelThatStartedAServerAndStopsTheServerFirst() =>
        await EndAsync(async kernel => Assert.False(await kernel.SignalAsync("TERM"), "the kernel still runs after SIGTERM"));

    [Fact]
    public async Task SigintEndsTheKernelAsJupytersInterruptDoesAndStopsTheServerFirst() =>
        await EndAsync(async kernel => Assert.False(await kernel.SignalAsync("INT"), "the kernel still runs after SIGINT"));

    private static async Task EndAsync(Func<ToolKernel, Task> end)
    {
        using var kernel = await ToolKernel.StartAsync(JupyterSetup.NotebookFolder(NotebookDocument.IpynbPath));
        var url = await StartServerAsync(kernel);
        await using var listener = await StreamClient.ConnectAsync(new Uri($"ws://{url.Authority}/"));
        await listener.HelloAsync(Token(url));

        await end(kernel);

        var (status, reason) = await listener.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("The server is stopping.", reason);
        Ports.AssertFree(url.Port);
    }

    private static async Task<Uri> StartServerAsync(ToolKernel kernel)
    {
        var (_, loadErrors) = await kernel.RunAsync($"#r \"nuget: SynthNotebook, {PackedPackage.Version}\"\nusing SynthNotebook.Streaming;\nusing SynthNotebook.Synthesis;");
        Assert.Empty(loadErrors);
        var (html, errors) = await kernel.RunAsync("var server = SynthServer.Start(new Synth(), port: 0);\nserver.WebSocketUrl.ToString()");
        Assert.Empty(errors);
        return new Uri(WebSocketUrl().Match(string.Concat(html)).Value);
    }

    private static string Token(Uri url) => System.Web.HttpUtility.ParseQueryString(url.Query)["token"]!;

    [GeneratedRegex(@"ws://127\.0\.0\.1:\d+/\?token=[\w-]+")]
    private static partial Regex WebSocketUrl();
}
