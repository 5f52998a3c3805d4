using System.Net;
using System.Net.WebSockets;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>The Origin allow-list: over a real upgrade request, and <see cref="OriginPolicy"/> on its own.</summary>
public class OriginTests
{
    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("https://localhost.evil.example:8888")]
    [InlineData("null")]
    public async Task ForeignOriginIsRefusedWith403BeforeTheUpgrade(string origin)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        using var socket = StreamClient.CreateSocket(origin);
        using var timeout = new CancellationTokenSource(StreamClient.Timeout);

        await Assert.ThrowsAsync<WebSocketException>(
            () => socket.ConnectAsync(StreamClient.Url(server.Port, server.Token.Value), timeout.Token));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Equal(0, server.Statistics.Connections);
    }

    [Fact]
    public async Task RefusalNamesTheOriginInItsBody()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        using var http = new HttpClient { Timeout = StreamClient.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("http://evil.example", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("vscode-webview://abc123")]
    [InlineData("http://localhost:8888")]
    [InlineData("https://localhost:8888")]
    [InlineData("http://[::1]:8888")]
    [InlineData("HTTP://LocalHost:8888")]
    [InlineData(null)]
    public async Task DefaultOriginsConnect(string? origin)
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, origin: origin);

        await client.HelloAsync(server.Token.Value);

        Assert.Equal(0UL, (await client.TakeBlocksAsync(1))[0].Sequence);
    }

    [Fact]
    public async Task TheServersOwnOriginConnects()
    {
        await using var server = await StreamTest.StartAsync(new Synth());
        await using var client = await StreamClient.ConnectAsync(server, origin: $"http://127.0.0.1:{server.Port}");

        await client.HelloAsync(server.Token.Value);

        Assert.Equal(0UL, (await client.TakeBlocksAsync(1))[0].Sequence);
    }

    [Fact]
    public async Task AnOriginAddedToTheOptionsConnects()
    {
        await using var server = await StreamTest.StartAsync(new Synth(), o => o.AllowedOrigins.Add("https://notebooks.example:*"));
        await using var client = await StreamClient.ConnectAsync(server, origin: "https://notebooks.example:443");
        await client.HelloAsync(server.Token.Value);
        using var other = StreamClient.CreateSocket("http://notebooks.example:443");
        using var timeout = new CancellationTokenSource(StreamClient.Timeout);

        // Same host, other scheme: still refused.
        await Assert.ThrowsAsync<WebSocketException>(() => other.ConnectAsync(StreamClient.Url(server.Port), timeout.Token));

        Assert.Equal(HttpStatusCode.Forbidden, other.HttpStatusCode);
    }

    [Fact]
    public async Task AMalformedAllowedOriginFailsTheStart()
    {
        var options = new SynthServerOptions { Port = 0 };
        options.AllowedOrigins.Add("notebooks.example");

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => SynthServer.StartAsync(new Synth(), options));

        Assert.Contains("notebooks.example", ex.Message);
    }

    [Theory]
    [InlineData("vscode-webview://abc123", true)]
    [InlineData("vscode-webview://0a1b2c3d4e5f", true)]
    [InlineData("http://localhost", true)]
    [InlineData("http://localhost:8888", true)]
    [InlineData("http://localhost:8888/", true)]
    [InlineData("https://127.0.0.1:443", true)]
    [InlineData("http://[::1]", true)]
    [InlineData("http://[::1]:8888", true)]
    [InlineData("HTTP://LOCALHOST:8888", true)]
    [InlineData("", true)]
    [InlineData(null, true)]
    [InlineData("http://evil.example", false)]
    [InlineData("http://localhost.evil.example", false)]
    [InlineData("http://127.0.0.1.evil.example:80", false)]
    [InlineData("http://evil.example/http://localhost:1", false)]
    [InlineData("ftp://localhost:21", false)]
    [InlineData("file://", false)]
    [InlineData("null", false)]
    [InlineData("localhost:8888", false)]
    [InlineData("http://[::2]:8888", false)]
    [InlineData("http://localhost:1@evil.example", false)]
    [InlineData("http://user@localhost:8888", false)]
    [InlineData("http://localhost:abc", false)]
    [InlineData("http://localhost:65536", false)]
    [InlineData("http://localhost:-1", false)]
    [InlineData("http://localhost:65535", true)]
    public void DefaultPolicy(string? origin, bool allowed)
    {
        var policy = new OriginPolicy(OriginPolicy.DefaultAllowedOrigins);

        Assert.Equal(allowed, policy.Allows(origin));
    }

    [Theory]
    [InlineData("https://app.example:8443", true)]
    [InlineData("HTTPS://APP.EXAMPLE:8443", true)]
    [InlineData("https://app.example:8444", false)]
    [InlineData("https://app.example", false)]
    [InlineData("http://app.example:8443", false)]
    [InlineData("https://other.example:8443", false)]
    [InlineData("https://app.example:8443/path", false)]
    [InlineData("https://anything.example:1", true)]
    [InlineData("https://anything.example", false)]
    [InlineData("http://plain.example", true)]
    [InlineData("http://plain.example:80", false)]
    public void PatternsMatchSchemeHostAndPort(string origin, bool allowed)
    {
        var policy = new OriginPolicy(["https://app.example:8443", "https://*:1", "http://plain.example"]);

        Assert.Equal(allowed, policy.Allows(origin));
    }

    [Fact]
    public void WildcardHostAndPort()
    {
        var policy = new OriginPolicy(["https://*:*"]);

        Assert.True(policy.Allows("https://a.example:1"));
        Assert.True(policy.Allows("https://b.example"));
        Assert.False(policy.Allows("http://a.example:1"));
    }

    [Fact]
    public void EmptyPolicyRefusesEveryPageButNotPrograms()
    {
        var policy = new OriginPolicy([]);

        Assert.False(policy.Allows("http://localhost:8888"));
        Assert.True(policy.Allows(null));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:8888")]
    [InlineData("http://")]
    [InlineData("http:///")]
    [InlineData("://localhost")]
    [InlineData("*://localhost")]
    [InlineData("http://localhost/path")]
    [InlineData("")]
    public void MalformedPatternThrowsArgumentException(string pattern)
    {
        var ex = Assert.Throws<ArgumentException>(() => new OriginPolicy(["http://localhost:*", pattern]));

        Assert.Contains($"'{pattern}'", ex.Message);
    }

    [Fact]
    public void NullPatternsThrow()
    {
        Assert.Throws<ArgumentNullException>(() => new OriginPolicy(null!));
    }
}
