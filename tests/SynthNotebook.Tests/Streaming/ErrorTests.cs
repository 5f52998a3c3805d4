using System.Net.WebSockets;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>
/// Bad control messages are answered with an error and change nothing; the connection, and every other one, carries
/// on. Oversized messages close only the offending connection.
/// </summary>
public class ErrorTests
{
    [Theory]
    [InlineData("{\"op\":\"credit\",\"blocks\":", "invalid-json", null)]
    [InlineData("{\"op\":\"credit\",\"blocks\":1} trailing", "invalid-json", null)]
    [InlineData("{\"op\":\"credit\",\"blocks\":1}{}", "invalid-json", null)]
    [InlineData("{\"op\":\"dance\"}", "unknown-op", "dance")]
    [InlineData("{\"blocks\":1}", "unknown-op", "op")]
    [InlineData("{\"op\":\"set\",\"component\":0,\"frequency\":\"NaN\"}", "invalid-value", "frequency")]
    [InlineData("{\"op\":\"set\",\"component\":0,\"frequency\":\"Infinity\"}", "invalid-value", "frequency")]
    [InlineData("{\"op\":\"set\",\"component\":0,\"frequency\":30000}", "invalid-value", "frequency")]
    [InlineData("{\"op\":\"set\",\"component\":0,\"frequency\":-1}", "invalid-value", "frequency")]
    [InlineData("{\"op\":\"set\",\"component\":1,\"amplitude\":1.5}", "invalid-value", "amplitude")]
    [InlineData("{\"op\":\"set\",\"component\":5,\"frequency\":440}", "invalid-value", "component")]
    [InlineData("{\"op\":\"set\",\"component\":-1,\"frequency\":440}", "invalid-value", "component")]
    [InlineData("{\"op\":\"set\",\"component\":0.5,\"frequency\":440}", "invalid-value", "component")]
    [InlineData("{\"op\":\"set\",\"frequency\":440}", "invalid-value", "component")]
    [InlineData("{\"op\":\"set\",\"gain\":\"-Infinity\"}", "invalid-value", "gain")]
    [InlineData("{\"op\":\"set\",\"gain\":5}", "invalid-value", "gain")]
    [InlineData("{\"op\":\"set\",\"component\":0,\"frequency\":\"440\"}", "invalid-value", "frequency")]
    [InlineData("{\"op\":\"set\"}", "invalid-value", null)]
    [InlineData("{\"op\":\"credit\",\"blocks\":0}", "invalid-value", "blocks")]
    [InlineData("{\"op\":\"credit\",\"blocks\":1.5}", "invalid-value", "blocks")]
    [InlineData("{\"op\":\"credit\",\"blocks\":-3}", "invalid-value", "blocks")]
    [InlineData("{\"op\":\"credit\"}", "invalid-value", "blocks")]
    [InlineData("{\"op\":\"credit\",\"blocks\":\"NaN\"}", "invalid-value", "blocks")]
    [InlineData("{\"op\":\"credit\",\"blocks\":true}", "invalid-value", "blocks")]
    public async Task BadMessageIsAnsweredWithAnErrorAndChangesNothing(string text, string code, string? named)
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var offender = await StreamClient.OpenAsync(server, 44100, 256);
        await using var bystander = await StreamClient.OpenAsync(server, 44100, 256);
        Assert.Equal(0UL, (await offender.TakeBlocksAsync(1))[0].Sequence);
        // The bystander has blocks in flight while the offender misbehaves.
        await bystander.SendCreditAsync(5);

        await offender.SendTextAsync(text);
        var message = await offender.ReceiveErrorAsync(code);

        if (named is not null)
        {
            Assert.Contains(named, message);
        }
        // Nothing changed: the parameters are as they were, and no broadcast went out.
        Assert.Equal(0, synth.Parameters.Version);
        // The offender carries on where it was.
        var next = (await offender.TakeBlocksAsync(1))[0];
        Assert.Equal(1UL, next.Sequence);
        Assert.Equal(0u, next.ParamsVersion);
        // The bystander gets its blocks, contiguous, and only them.
        var blocks = await bystander.ReceiveBlocksAsync(5);
        blocks = [.. blocks, .. await bystander.TakeBlocksAsync(2)];
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (ulong)i), blocks.Select(b => b.Sequence));
        StreamTest.AssertSameSamples(StreamTest.Render(synth.CreateVoice(44100), 7, 256)[6], blocks[6].Samples, "bystander");
        await bystander.AssertNoMoreBlocksAsync();
        await offender.AssertNoMoreBlocksAsync();
    }

    [Fact]
    public async Task NaNFrequencyErrorNamesTheParameterTheValueAndTheRange()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server);

        await client.SendTextAsync("{\"op\":\"set\",\"component\":0,\"frequency\":\"NaN\"}");
        var message = await client.ReceiveErrorAsync("invalid-value");

        Assert.Contains("frequency", message);
        Assert.Contains("NaN", message);
        Assert.Contains("22050", message);
        Assert.DoesNotContain("Parameter '", message);
    }

    [Fact]
    public async Task ManyErrorsInARowAreEachAnswered()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server, 44100, 64);

        for (var i = 0; i < 20; i++)
        {
            await client.SendTextAsync("{\"op\":\"credit\",\"blocks\":0}");
        }
        for (var i = 0; i < 20; i++)
        {
            await client.ReceiveErrorAsync("invalid-value");
        }

        Assert.Equal(0UL, (await client.TakeBlocksAsync(1))[0].Sequence);
    }

    [Fact]
    public async Task ValidSetWithUnknownPropertiesIsApplied()
    {
        var synth = new Synth();
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.OpenAsync(server);

        await client.SendTextAsync("{\"op\":\"set\",\"future\":{\"a\":[1,{\"b\":2}]},\"component\":4,\"amplitude\":0.25,\"x\":null}");
        var broadcast = await client.ReceiveJsonAsync("params");

        Assert.Equal(0.25, broadcast.GetProperty("components")[4].GetProperty("amplitude").GetDouble());
        Assert.Equal(0.25, synth.GetAmplitude(4));
    }

    [Theory]
    [InlineData(100 * 1024)]
    [InlineData(200 * 1024)]
    [InlineData(1024 * 1024)]
    public async Task OversizedMessageClosesThatConnectionWith1009AndOthersCarryOn(int size)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var offender = await StreamClient.OpenAsync(server, 44100, 256);
        await using var bystander = await StreamClient.OpenAsync(server, 44100, 256);
        await bystander.SendCreditAsync(3);

        await offender.SendTextAsync("{\"op\":\"credit\",\"pad\":\"" + new string('x', size) + "\",\"blocks\":1}");
        var (status, description) = await offender.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Contains("65536", description);
        var blocks = await bystander.ReceiveBlocksAsync(3);
        blocks = [.. blocks, .. await bystander.TakeBlocksAsync(3)];
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (ulong)i), blocks.Select(b => b.Sequence));
        await StreamTest.WaitUntil(() => server.Statistics.Clients == 1, "the offender's session has ended");
    }

    [Fact]
    public async Task InvalidUtf8TextIsClosedAsInvalidPayloadWithAReason()
    {
        // The WebSocket layer validates text messages before the session sees them (RFC 6455 §8.1).
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server, 44100, 256);
        await using var bystander = await StreamClient.OpenAsync(server, 44100, 256);
        byte[] text = [.. "{\"op\":\"set\",\"component\":0,\"frequency\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        using var timeout = new CancellationTokenSource(StreamClient.Timeout);
        await client.Socket.SendAsync(text, WebSocketMessageType.Text, true, timeout.Token);
        var (status, reason) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains("not valid UTF-8", reason);
        Assert.Equal([0UL, 1UL], (await bystander.TakeBlocksAsync(2)).Select(b => b.Sequence));
    }

    [Fact]
    public async Task MessageOfExactlyMaxMessageBytesIsAccepted()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server, 44100, 256);
        const string Credit = "{\"op\":\"credit\",\"blocks\":2}";

        await client.SendTextAsync(Credit + new string(' ', 64 * 1024 - Credit.Length));

        Assert.Equal([0UL, 1UL], (await client.ReceiveBlocksAsync(2)).Select(b => b.Sequence));
        await client.SendTextAsync(Credit + new string(' ', 64 * 1024 + 1 - Credit.Length));
        var (status, _) = await client.ReceiveCloseNextAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
    }

    [Fact]
    public async Task OversizedHelloIsAlso1009()
    {
        await using var server = await StreamTest.StartAsync(new Synth(), o => o.MaxMessageBytes = 2048);
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendTextAsync($"{{\"op\":\"hello\",\"token\":\"{server.Token.Value}\",\"pad\":\"{new string('x', 4096)}\"}}");
        var (status, _) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
    }

    [Fact]
    public async Task AMessageOfExactlyTheLimitWhoseLastFragmentIsEmptyIsAccepted()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server);
        const string credit = "{\"op\":\"credit\",\"blocks\":1,\"pad\":\"";
        var message = System.Text.Encoding.UTF8.GetBytes(credit + new string(' ', 64 * 1024 - credit.Length - 2) + "\"}");
        Assert.Equal(64 * 1024, message.Length);

        await client.Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await client.Socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        Assert.Equal(0UL, (await client.ReceiveBlockAsync()).Sequence);
    }
}
