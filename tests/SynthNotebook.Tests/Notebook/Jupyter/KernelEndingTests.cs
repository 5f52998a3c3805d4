using SynthNotebook.Tests.Notebook.Kernel;
using SynthNotebook.Tests.Streaming;

namespace SynthNotebook.Tests.Notebook.Jupyter;

/// <summary>
/// A tool kernel that started a server, ended each way a kernel ends: its listeners are told (1001) and the port is
/// free. (Jupyter's Interrupt sends SIGINT, which ends a dotnet-interactive 1.0.712001 kernel.)
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class KernelEndingTests
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
        await using var listener = await StreamClient.ListenAtAsync(url);

        await end(kernel);

        await listener.AssertServerStoppedAsync();
        Ports.AssertFree(url.Port);
    }

    private static async Task<Uri> StartServerAsync(ToolKernel kernel)
    {
        var (_, loadErrors) = await kernel.RunAsync($"#r \"nuget: SynthNotebook, {PackedPackage.Version}\"\nusing SynthNotebook.Streaming;\nusing SynthNotebook.Synthesis;");
        Assert.Empty(loadErrors);
        var (html, errors) = await kernel.RunAsync("var server = SynthServer.Start(new Synth(), port: 0);\nserver.WebSocketUrl.ToString()");
        Assert.Empty(errors);
        return StreamClient.WebSocketUrlIn(string.Concat(html));
    }
}
