using System.Net.WebSockets;
using System.Text.Json;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>Hello and welcome, tokens, and the handshake violations that close the socket (docs/protocol.md).</summary>
public class HandshakeTests
{
    [Fact]
    public async Task WelcomeDescribesTheStreamAndTheCurrentParameters()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        var welcome = await client.HelloAsync(server.Token.Value, sampleRate: 48000);

        Assert.Equal(1, welcome.GetProperty("version").GetInt32());
        Assert.Equal("f32le", welcome.GetProperty("format").GetString());
        Assert.Equal(48000, welcome.GetProperty("sampleRate").GetInt32());
        Assert.Equal(Synth.DefaultBlockSize, welcome.GetProperty("blockSize").GetInt32());
        Assert.Equal(16, welcome.GetProperty("headerBytes").GetInt32());
        Assert.Equal(64, welcome.GetProperty("maxCredits").GetInt32());
        Assert.Equal(10, welcome.GetProperty("rampMs").GetDouble());
        var parameters = welcome.GetProperty("params");
        Assert.Equal(0, parameters.GetProperty("version").GetInt64());
        Assert.Equal(1.0, parameters.GetProperty("gain").GetDouble());
        var components = parameters.GetProperty("components").EnumerateArray().ToArray();
        Assert.Equal([200.0, 250.0, 300.0, 350.0, 400.0], components.Select(c => c.GetProperty("frequency").GetDouble()));
        Assert.All(components, c => Assert.Equal(1.0, c.GetProperty("amplitude").GetDouble()));
    }

    [Fact]
    public async Task WelcomeEchoesTheRequestedBlockSizeAndTheConfiguredCreditLimit()
    {
        await using var server = await StreamTest.StartAsync(new Synth(), o => o.MaxCredits = 7);
        await using var client = await StreamClient.ConnectAsync(server);

        var welcome = await client.HelloAsync(server.Token.Value, sampleRate: 22050, blockSize: 1000);

        Assert.Equal(22050, welcome.GetProperty("sampleRate").GetInt32());
        Assert.Equal(1000, welcome.GetProperty("blockSize").GetInt32());
        Assert.Equal(7, welcome.GetProperty("maxCredits").GetInt32());
        var block = (await client.TakeBlocksAsync(1))[0];
        Assert.Equal(1000, block.Samples.Length);
    }

    [Fact]
    public async Task HelloWithoutRatesGetsTheSynthsRateAndBlockSize()
    {
        var synth = new Synth(sampleRate: 32000, blockSize: 512);
        await using var server = await StreamTest.StartAsync(synth);
        await using var client = await StreamClient.ConnectAsync(server);

        var welcome = await client.HelloAsync(server.Token.Value);

        Assert.Equal(32000, welcome.GetProperty("sampleRate").GetInt32());
        Assert.Equal(512, welcome.GetProperty("blockSize").GetInt32());
    }

    [Fact]
    public async Task TokenMayComeInTheUrlInsteadOfTheHello()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, queryToken: server.Token.Value);

        await client.HelloAsync(token: null);

        Assert.Equal(0UL, (await client.TakeBlocksAsync(1))[0].Sequence);
    }

    [Fact]
    public async Task WrongTokenInTheHelloIsRefusedWith1008()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendHelloAsync("this-is-not-the-token-at-all", 44100);
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.DoesNotContain(server.Token.Value, description);
    }

    [Fact]
    public async Task HelloWithoutAnyTokenIsRefusedWith1008()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendHelloAsync(token: null, 44100);
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("token", description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RightHelloTokenWithWrongUrlTokenIsRefusedWith1008()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, queryToken: "wrong-wrong-wrong-wrong");

        await client.SendHelloAsync(server.Token.Value, 44100);
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.False(string.IsNullOrWhiteSpace(description));
    }

    [Fact]
    public async Task FirstJsonMessageThatIsNotAHelloIsAProtocolError()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, queryToken: server.Token.Value);

        await client.SendCreditAsync(1);
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.Contains("hello", description);
    }

    [Fact]
    public async Task BinaryFirstMessageIsUnsupportedData()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, queryToken: server.Token.Value);

        await client.SendBinaryAsync([1, 2, 3, 4]);
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.False(string.IsNullOrWhiteSpace(description));
    }

    [Fact]
    public async Task BinaryMessageAfterTheHelloIsUnsupportedData()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server);

        await client.SendBinaryAsync(new byte[64]);
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.False(string.IsNullOrWhiteSpace(description));
    }

    [Theory]
    [InlineData(100, null, "sampleRate")]
    [InlineData(1_000_000, null, "sampleRate")]
    [InlineData(null, 8, "blockSize")]
    [InlineData(null, 100_000, "blockSize")]
    public async Task HelloWithARateOrBlockSizeOutOfRangeIsInvalidPayload(int? sampleRate, int? blockSize, string named)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendHelloAsync(server.Token.Value, sampleRate, blockSize);
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains(named, description);
    }

    [Fact]
    public async Task HelloWithAFractionalSampleRateIsInvalidPayload()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server);

        await client.SendJsonAsync(new { op = "hello", token = server.Token.Value, sampleRate = 44100.5 });
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains("sampleRate", description);
    }

    [Fact]
    public async Task ASecondHelloIsAnsweredWithAnErrorAndTheStreamCarriesOn()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.OpenAsync(server);
        Assert.Equal(0UL, (await client.TakeBlocksAsync(1))[0].Sequence);

        await client.SendHelloAsync(server.Token.Value, 48000);
        await client.ReceiveErrorAsync("unexpected-hello");

        Assert.Equal(1UL, (await client.TakeBlocksAsync(1))[0].Sequence);
    }

    [Fact]
    public async Task SilentClientIsClosedWith1008AfterTheHelloTimeout()
    {
        await using var server = await StreamTest.StartAsync(new Synth(), o => o.HelloTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await StreamClient.ConnectAsync(server, queryToken: server.Token.Value);

        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("hello", description);
    }

    [Fact]
    public async Task MalformedFirstMessageIsAProtocolErrorWithAReasonThatFitsInAControlFrame()
    {
        // The reason quotes the JSON parser's (long) message; RFC 6455 allows at most 123 bytes in a close frame.
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, queryToken: server.Token.Value);

        await client.SendTextAsync("{\"op\":\"hello\",\"sampleRate\":44100,\"token\":");
        var (status, description) = await client.ReceiveCloseNextAsync();

        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.Contains("hello", description);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(description!), 1, 123);
    }

    [Fact]
    public async Task PlainHttpGetServesThePlayerPageOnlyWithTheToken()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        using var http = new HttpClient { Timeout = StreamClient.Timeout };

        using var page = await http.GetAsync(server.PageUrl);
        using var withoutToken = await http.GetAsync($"http://127.0.0.1:{server.Port}/");
        using var wrongToken = await http.GetAsync($"http://127.0.0.1:{server.Port}/?token=not-the-token-not-the-token");
        using var missing = await http.GetAsync($"http://127.0.0.1:{server.Port}/nothing-here?token={server.Token.Value}");

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.DoesNotContain(server.Token.Value, await withoutToken.Content.ReadAsStringAsync());
        Assert.DoesNotContain(server.Token.Value, await wrongToken.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/duplex")]
    public async Task ThePlayerPagesSayNoRefererNoFramingAndOnlyTheirOwnScript(string path)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        using var http = new HttpClient { Timeout = StreamClient.Timeout };

        using var page = await http.GetAsync($"http://127.0.0.1:{server.Port}{path}?token={server.Token.Value}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains($"connect-src ws://127.0.0.1:{server.Port} 'self';", policy);
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        // Every script the page has carries the nonce: the player's, and (on the main page) the follower of its items.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>").Select(m => m.Value).ToList();
        Assert.Equal(path == "/" ? 2 : 1, scripts.Count);
        Assert.All(scripts, script => Assert.Equal($"<script nonce=\"{nonce}\">", script));
    }

    [Fact]
    public async Task WebSocketUrlCarriesTheTokenAndWorks()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        Assert.Equal($"ws://127.0.0.1:{server.Port}/?token={server.Token.Value}", server.WebSocketUrl.ToString());
        await using var client = await StreamClient.ConnectAsync(server.WebSocketUrl);

        var welcome = await client.HelloAsync(token: null);

        Assert.Equal(JsonValueKind.Object, welcome.GetProperty("params").ValueKind);
    }
}
