using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// A client that stops reading (a frozen tab, a debugger on its page) while more is queued for it than its socket
/// holds: it must not hang the server's stop, its restart on the same port, or another server's start. (Pacing is off
/// here, so that what the client asks for fills the socket at once.)
/// </summary>
public sealed class StalledReaderTests
{
    // Far above a correct stop with a stalled client (about 1 s); before the fix these hung until the client read.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task StopEndsWithinABoundWhileAClientNeverReadsAndTheOthersGet1001()
    {
        var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0, MaxRealTimeFactor = 0 });
        using var stalled = await StallAsync(server);
        await using var healthy = await StreamClient.OpenAsync(server);

        var clock = Stopwatch.StartNew();
        var stop = server.StopAsync();
        // From the moment stopping begins the port refuses new players (they would only be dropped again).
        using var late = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => late.ConnectAsync(StreamClient.Url(server.Port), CancellationToken.None));
        Assert.Contains("503", refused.Message);
        await stop.WaitAsync(Bound);

        await healthy.AssertServerStoppedAsync();
        Ports.AssertFree(server.Port);
        Assert.True(clock.Elapsed < Bound, $"stop took {clock.Elapsed}");
    }

    [Fact]
    public async Task ARestartOnTheSamePortAndAnUnrelatedStartDoNotWaitForAClientThatNeverReads()
    {
        var first = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0, MaxRealTimeFactor = 0 });
        using var stalled = await StallAsync(first);

        var restart = SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = first.Port, MaxRealTimeFactor = 0 });
        var unrelated = SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0, MaxRealTimeFactor = 0 });
        await using var again = await restart.WaitAsync(Bound);
        await using var other = await unrelated.WaitAsync(Bound);

        Assert.False(first.IsRunning);
        Assert.Equal(first.Port, again.Port);
        await using var player = await StreamClient.OpenAsync(again);
        await player.SendCreditAsync(1);
        Assert.Equal(0UL, (await player.ReceiveBlockAsync()).Sequence);
    }

    [Fact]
    public async Task AClientThatTakesNothingForTheSendTimeoutIsDroppedAndTheServerCarriesOn()
    {
        await using var server = await SynthServer.StartAsync(new Synth(),
            new SynthServerOptions { Port = 0, SendTimeout = TimeSpan.FromSeconds(1), MaxRealTimeFactor = 0 });
        using var stalled = await StallAsync(server);
        await using var healthy = await StreamClient.OpenAsync(server);

        // Waiting for a state, not a time: the stalled connection is gone once only the healthy one is counted.
        await WaitUntilAsync(() => server.Statistics.Clients == 1, () => $"the stalled client was not dropped: {server.Statistics.Clients} clients");
        await healthy.SendCreditAsync(1);
        Assert.Equal(0UL, (await healthy.ReceiveBlockAsync()).Sequence);
    }

    [Fact]
    public async Task AClientThatFloodsErrorsItNeverReadsIsClosedAndTheServerKeepsNoBacklogOfReplies()
    {
        // The send timeout is long here: what drops this client is the cap on replies waiting for it.
        await using var server = await SynthServer.StartAsync(new Synth(),
            new SynthServerOptions { Port = 0, SendTimeout = TimeSpan.FromMinutes(5), MaxRealTimeFactor = 0 });
        using var stalled = await StallAsync(server);
        await using var healthy = await StreamClient.OpenAsync(server);

        var flood = Encoding.UTF8.GetBytes("""{"op":"credit","blocks":64}""");
        try
        {
            for (var i = 0; i < 100_000 && server.Statistics.Clients == 2; i++)
            {
                await stalled.SendAsync(flood, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // the server has aborted the connection under the flood
        }
        await WaitUntilAsync(() => server.Statistics.Clients == 1, () => $"the flooding client was not closed: {server.Statistics.Clients} clients");
        await healthy.SendCreditAsync(1);
        Assert.Equal(0UL, (await healthy.ReceiveBlockAsync()).Sequence);
    }

    /// <summary>
    /// A client that asks for far more than a socket holds (blocks of 64 Ki samples, 256 kB each, a thousand of them)
    /// and then never reads, once the server has sent it more than the socket buffers take.
    /// </summary>
    private static async Task<ClientWebSocket> StallAsync(SynthServer server)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(StreamClient.Url(server.Port), CancellationToken.None);
        var hello = $$"""{"op":"hello","version":1,"token":"{{server.Token.Value}}","sampleRate":48000,"blockSize":{{SynthLimits.MaxBlockSize}}}""";
        await socket.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, true, CancellationToken.None);
        var before = server.Statistics.BlocksSent;
        for (var grant = 0; grant < 16; grant++)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes("""{"op":"credit","blocks":64}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        // Loopback sockets take a few MB between them: past 64 blocks (16 MB) the server's sends are stuck.
        await WaitUntilAsync(() => server.Statistics.BlocksSent - before >= 8, () => "the stalling client was never sent anything");
        return socket;
    }

    // A state the server reaches by itself, polled within the bound.
    private static async Task WaitUntilAsync(Func<bool> reached, Func<string> failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!reached())
        {
            Assert.True(deadline.Elapsed < Bound, failure());
            await Task.Delay(10);
        }
    }
}
