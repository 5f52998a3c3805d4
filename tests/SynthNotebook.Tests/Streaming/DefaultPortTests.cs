using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;
using SynthNotebook.Tests.Notebook.Kernel;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// The default start (no port given) never dead-ends, and a restarted server keeps its token. The default port is
/// process-wide (SYNTHNOTEBOOK_PORT), so these run with the other tests of process-wide state.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class DefaultPortTests
{
    [Fact]
    public async Task WhenAnotherProgramHoldsTheDefaultPortTheServerTakesAFreeOneAndSaysSo()
    {
        using var foreign = Ports.HoldOne();
        var held = foreign.Port;
        var previous = Environment.GetEnvironmentVariable(SynthServerOptions.PortVariable);
        Environment.SetEnvironmentVariable(SynthServerOptions.PortVariable, held.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await using var server = await SynthServer.StartAsync(new Synth());

            Assert.NotEqual(held, server.Port);
            Assert.Equal($"port {held} is taken by another program, so this server took {server.Port}", server.PortNote);
            Assert.Contains(server.PortNote!, SynthNotebook.Notebook.ServerCard.Html(server));

            // Started again the default way (a re-run cell): the same port, so open players find it again.
            await using var again = await SynthServer.StartAsync(new Synth());
            Assert.Equal(server.Port, again.Port);
            Assert.False(server.IsRunning);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SynthServerOptions.PortVariable, previous);
        }
    }

    [Fact]
    public async Task AServerStoppedAndStartedAgainInTheSameProcessKeepsItsTokenSoOpenPlayersGetIn()
    {
        var first = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        var port = first.Port;
        var token = first.Token.Value;
        await first.StopAsync();

        await using var second = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port });
        await using var player = await StreamClient.ConnectAsync(second);
        var welcome = await player.HelloAsync(token);

        Assert.Equal(token, second.Token.Value);
        Assert.Equal("welcome", welcome.GetProperty("op").GetString());
    }
}
