using SynthNotebook.Tests.Streaming;

namespace SynthNotebook.Tests.Studio;

/// <summary>The main job as a command-line program: help, a port, one-line errors with exit code 2, clean stops.</summary>
public sealed class DemoCommandLineTests
{
    [Fact]
    public async Task HelpSaysHowToRunItAndExitsZero()
    {
        using var demo = StudioProcess.Demo("--help");

        Assert.Equal(0, await demo.ExitCodeAsync());
        Assert.StartsWith("Usage: synthnotebook-demo [--port N]", demo.Output);
        Assert.Contains("--port N", demo.Output);
        Assert.Empty(demo.ErrorLines);
    }

    [Theory]
    [InlineData("--port abc", "synthnotebook-demo: --port wants a number from 0 to 65535, not 'abc'.")]
    [InlineData("--port 70000", "synthnotebook-demo: --port wants a number from 0 to 65535, not '70000'.")]
    [InlineData("--port", "synthnotebook-demo: --port wants a number from 0 to 65535.")]
    [InlineData("--loud", "synthnotebook-demo: unknown argument '--loud' (see --help).")]
    public async Task BadArgumentsAreOneLineAndExitTwo(string arguments, string line)
    {
        using var demo = StudioProcess.Demo(arguments.Split(' '));

        Assert.Equal(2, await demo.ExitCodeAsync());
        Assert.Equal([line], demo.ErrorLines);
    }

    [Fact]
    public async Task APortAnotherProgramHoldsIsOneLineAndExitsTwo()
    {
        using var foreign = Ports.HoldOne();
        using var demo = StudioProcess.Demo("--port", foreign.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, await demo.ExitCodeAsync());
        var line = Assert.Single(demo.ErrorLines);
        Assert.StartsWith($"synthnotebook-demo: Port {foreign.Port} on 127.0.0.1 is taken by another program", line);
    }

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "SIGINT")]
    public async Task ASignalStopsItCleanlyClosingItsListenersAndFreeingThePort(string signal, string name)
    {
        using var demo = StudioProcess.Demo("--port", "0");
        var page = await demo.PageAsync();
        await using var listener = await StreamClient.ListenAtAsync(page);

        demo.Signal(signal);

        await listener.AssertServerStoppedAsync();
        Assert.Equal(0, await demo.ExitCodeAsync());
        Assert.Contains($"Stopped on {name} after", demo.Output);
        Ports.AssertFree(page.Port);
    }
}
