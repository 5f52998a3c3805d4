using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>Starting, replacing (a re-run notebook cell), stopping and disposing servers.</summary>
public class LifecycleTests
{
    [Fact]
    public async Task StartingOnTheSamePortReplacesTheRunningServerAndKeepsItsToken()
    {
        var port = await StreamTest.FreePortAsync();
        var serverA = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port });
        await using var _ = serverA;
        Assert.Equal(port, serverA.Port);
        await using var clientA = await StreamClient.OpenAsync(serverA);
        await clientA.TakeBlocksAsync(1);

        // The old server waits for its clients to answer the close, so start the new one while the client listens.
        var startB = SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port });
        var (status, description) = await clientA.ReceiveCloseNextAsync();
        await using var serverB = await startB.WaitAsync(StreamClient.Timeout);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.False(serverA.IsRunning);
        Assert.True(serverB.IsRunning);
        Assert.Equal(port, serverB.Port);
        Assert.Equal(0, serverA.Statistics.Clients);
        // docs/protocol.md: a replacement keeps its predecessor's token, so open players reconnect by themselves.
        Assert.Equal(serverA.Token.Value, serverB.Token.Value);

        await using var reconnected = await StreamClient.ConnectAsync(serverA.WebSocketUrl);
        await reconnected.HelloAsync(token: null);
        Assert.Equal(0UL, (await reconnected.TakeBlocksAsync(1))[0].Sequence);
        await using var wrong = await StreamClient.ConnectAsync(serverB);
        await wrong.SendHelloAsync("not-the-token-of-either-server");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, (await wrong.ReceiveCloseNextAsync()).Status);
    }

    [Fact]
    public async Task AReplacementWithATokenOfItsOwnRefusesTheOldOne()
    {
        var port = await StreamTest.FreePortAsync();
        var serverA = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port });
        await using var _ = serverA;
        await using var clientA = await StreamClient.OpenAsync(serverA);

        var startB = SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port, Token = "the-replacement's-own-token" });
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, (await clientA.ReceiveCloseNextAsync()).Status);
        await using var serverB = await startB.WaitAsync(StreamClient.Timeout);

        Assert.False(serverA.IsRunning);
        Assert.Equal(port, serverB.Port);
        await using var clientB = await StreamClient.ConnectAsync(serverB);
        await clientB.HelloAsync("the-replacement's-own-token");
        Assert.Equal(0UL, (await clientB.TakeBlocksAsync(1))[0].Sequence);
        await using var stale = await StreamClient.ConnectAsync(serverB);
        await stale.SendHelloAsync(serverA.Token.Value);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, (await stale.ReceiveCloseNextAsync()).Status);
    }

    [Fact]
    public async Task AReplacementStreamsItsOwnSynth()
    {
        var port = await StreamTest.FreePortAsync();
        var oldSynth = new Synth();
        await using var serverA = await SynthServer.StartAsync(oldSynth, new SynthServerOptions { Port = port });
        var newSynth = new Synth();
        await using var serverB = await SynthServer.StartAsync(newSynth, new SynthServerOptions { Port = port });
        await using var client = await StreamClient.OpenAsync(serverB);

        // The first broadcast the client sees is the new synth's change, not the old one's.
        oldSynth.SetFrequency(0, 210);
        newSynth.SetFrequency(0, 220);

        var broadcast = await client.ReceiveJsonAsync("params");
        Assert.Equal(220.0, broadcast.GetProperty("components")[0].GetProperty("frequency").GetDouble());
    }

    [Fact]
    public async Task StoppingClosesEveryClientWith1001AndCountsThemOut()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var a = await StreamClient.OpenAsync(server);
        await using var b = await StreamClient.OpenAsync(server);
        await b.SendCreditAsync(2);
        await b.ReceiveBlocksAsync(2);
        Assert.Equal(2, server.Statistics.Clients);

        var stop = server.StopAsync();
        var closeA = await a.ReceiveCloseAsync();
        var closeB = await b.ReceiveCloseAsync();
        await stop.WaitAsync(StreamClient.Timeout);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, closeA.Status);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, closeB.Status);
        Assert.False(string.IsNullOrWhiteSpace(closeA.Description));
        Assert.False(server.IsRunning);
        await StreamTest.WaitUntil(() => server.Statistics.Clients == 0, "every session has ended");
        Assert.Equal(2, server.Statistics.Connections);
        Assert.Equal(2, server.Statistics.BlocksSent);
    }

    [Fact]
    public async Task AStoppedServerRefusesConnections()
    {
        var server = await StreamTest.StartAsync(new Synth());
        await server.StopAsync();
        using var socket = StreamClient.CreateSocket();
        using var timeout = new CancellationTokenSource(StreamClient.Timeout);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(StreamClient.Url(server.Port), timeout.Token));
    }

    [Fact]
    public async Task StopAsyncFreesThePortAndIsIdempotent()
    {
        var server = await StreamTest.StartAsync(new Synth());
        var port = server.Port;
        await using (var client = await StreamClient.OpenAsync(server))
        {
            await client.TakeBlocksAsync(2);
        }

        await server.StopAsync();
        await server.StopAsync();
        await server.DisposeAsync();
        server.Dispose();

        Assert.False(server.IsRunning);
        AssertPortIsFree(port);
    }

    [Fact]
    public async Task DisposeFreesThePortAndIsIdempotent()
    {
        var server = await StreamTest.StartAsync(new Synth());
        var port = server.Port;
        await using (var client = await StreamClient.OpenAsync(server))
        {
            await client.TakeBlocksAsync(1);
            var closed = client.ReceiveCloseAsync();
            server.Dispose();
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, (await closed).Status);
        }
        server.Dispose();
        await server.DisposeAsync();

        Assert.False(server.IsRunning);
        AssertPortIsFree(port);
    }

    [Fact]
    public async Task AFixedPortIsFreeAgainAfterDisposeAndCanBeReused()
    {
        var port = await StreamTest.FreePortAsync();
        await using (var first = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port }))
        {
            await using var client = await StreamClient.OpenAsync(first);
            await client.TakeBlocksAsync(1);
        }
        AssertPortIsFree(port);

        await using var second = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = port });
        await using var again = await StreamClient.OpenAsync(second);
        Assert.Equal(0UL, (await again.TakeBlocksAsync(1))[0].Sequence);
    }

    [Fact]
    public async Task APortHeldByAnotherProgramFailsTheStartNamingThePort()
    {
        using var foreign = Ports.HoldOne();

        var ex = await Assert.ThrowsAsync<PortUnavailableException>(
            () => SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = foreign.Port }));

        Assert.Contains($"Port {foreign.Port} on 127.0.0.1 is taken by another program", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData(-1, 64, 65536)]
    [InlineData(65536, 64, 65536)]
    [InlineData(0, 0, 65536)]
    [InlineData(0, 64, 100)]
    public async Task InvalidOptionsAreRefused(int port, int maxCredits, int maxMessageBytes)
    {
        var options = new SynthServerOptions { Port = port, MaxCredits = maxCredits, MaxMessageBytes = maxMessageBytes };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SynthServer.StartAsync(new Synth(), options));
    }

    [Fact]
    public async Task ShortTokensAreRefusedAndAGivenTokenIsUsed()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0, Token = "short" }));

        await using var server = await StreamTest.StartAsync(new Synth(), o => o.Token = "a-token-of-my-own-choosing");
        await using var client = await StreamClient.ConnectAsync(server);
        await client.HelloAsync("a-token-of-my-own-choosing");
        Assert.Equal("a-token-of-my-own-choosing", server.Token.Value);
    }

    private static void AssertPortIsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }
}
