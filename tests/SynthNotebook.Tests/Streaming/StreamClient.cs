using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Streaming;

/// <summary>One block as it arrived: the parsed 16-byte header and the samples.</summary>
internal sealed record Block(ulong Sequence, uint ParamsVersion, float[] Samples)
{
    public static Block Parse(byte[] frame)
    {
        Assert.True(frame.Length >= BlockFrame.HeaderBytes, $"A block frame needs a 16-byte header; got {frame.Length} bytes.");
        var count = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(12));
        Assert.Equal(BlockFrame.HeaderBytes + count * sizeof(float), frame.Length);
        return new Block(
            BinaryPrimitives.ReadUInt64LittleEndian(frame),
            BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8)),
            ReadSamples(frame.AsSpan(BlockFrame.HeaderBytes)));
    }

    public static float[] ReadSamples(ReadOnlySpan<byte> bytes)
    {
        Assert.Equal(0, bytes.Length % sizeof(float));
        var samples = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        }
        return samples;
    }
}

/// <summary>One message from the server: text, binary, or the close frame.</summary>
internal sealed record ServerMessage(WebSocketMessageType Type, byte[] Data, WebSocketCloseStatus? CloseStatus = null,
    string? CloseDescription = null)
{
    public string Text => Encoding.UTF8.GetString(Data);

    public override string ToString() => Type switch
    {
        WebSocketMessageType.Text => $"text {Text}",
        WebSocketMessageType.Binary => $"binary message of {Data.Length} bytes",
        _ => $"close {CloseStatus} '{CloseDescription}'",
    };
}

/// <summary>
/// A protocol client for tests (docs/protocol.md) over <see cref="ClientWebSocket"/>. Every wait is bounded by
/// <see cref="Timeout"/>, so a server that stays silent fails the test instead of hanging it.
/// </summary>
internal sealed class StreamClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private StreamClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>The welcome of the last successful <see cref="HelloAsync"/>.</summary>
    public JsonElement Welcome { get; private set; }

    /// <summary>Connects to <c>ws://127.0.0.1:PORT/</c>, with <c>?token=</c> when <paramref name="queryToken"/> is given.</summary>
    public static Task<StreamClient> ConnectAsync(SynthServer server, string? queryToken = null, string? origin = null)
        => ConnectAsync(Url(server.Port, queryToken), origin);

    public static async Task<StreamClient> ConnectAsync(Uri url, string? origin = null)
    {
        var socket = CreateSocket(origin);
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(url, timeout.Token);
            return new StreamClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects and says hello; returns once the welcome arrived (see <see cref="Welcome"/>).</summary>
    public static async Task<StreamClient> OpenAsync(SynthServer server, int? sampleRate = null, int? blockSize = null)
    {
        var client = await ConnectAsync(server);
        try
        {
            await client.HelloAsync(server.Token.Value, sampleRate, blockSize);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects and says hello in duplex mode; returns once the welcome (which must say duplex) arrived.</summary>
    public static async Task<StreamClient> OpenDuplexAsync(SynthServer server, int sampleRate, int blockSize)
    {
        var client = await ConnectAsync(server);
        try
        {
            await client.SendJsonAsync(new Dictionary<string, object>
            {
                ["op"] = "hello", ["version"] = 1, ["token"] = server.Token.Value, ["mode"] = "duplex",
                ["sampleRate"] = sampleRate, ["blockSize"] = blockSize,
            });
            client.Welcome = await client.ReceiveJsonAsync("welcome");
            Assert.Equal("duplex", client.Welcome.GetProperty("mode").GetString());
            Assert.Equal(blockSize, client.Welcome.GetProperty("blockSize").GetInt32());
            Assert.Equal(sampleRate, client.Welcome.GetProperty("sampleRate").GetInt32());
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>An upstream frame: u64 sequence, u32 reserved 0, u32 count, then the samples (all little-endian).</summary>
    public static byte[] AudioFrame(ulong sequence, ReadOnlySpan<float> samples, int? count = null)
    {
        var frame = new byte[BlockFrame.HeaderBytes + samples.Length * sizeof(float)];
        BinaryPrimitives.WriteUInt64LittleEndian(frame, sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(12), (uint)(count ?? samples.Length));
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(frame.AsSpan(BlockFrame.HeaderBytes + i * sizeof(float)), samples[i]);
        }
        return frame;
    }

    /// <summary>
    /// A listener of the server a program or cell printed the address of (its page or socket URL, with ?token=):
    /// connected to that server's root, hello said with that token.
    /// </summary>
    public static async Task<StreamClient> ListenAtAsync(Uri printedUrl)
    {
        var client = await ConnectAsync(new Uri($"ws://{printedUrl.Authority}/"));
        try
        {
            await client.HelloAsync(System.Web.HttpUtility.ParseQueryString(printedUrl.Query)["token"]);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first ws://127.0.0.1:PORT/?token=… in what a program or cell printed.</summary>
    public static Uri WebSocketUrlIn(string printed) =>
        new(System.Text.RegularExpressions.Regex.Match(printed, @"ws://127\.0\.0\.1:\d+/\?token=[\w-]+").Value);

    public static Uri Url(int port, string? queryToken = null)
        => new(queryToken is null ? $"ws://127.0.0.1:{port}/" : $"ws://127.0.0.1:{port}/?token={Uri.EscapeDataString(queryToken)}");

    /// <summary>A socket that keeps the HTTP status of a refused upgrade and sends <paramref name="origin"/> as Origin.</summary>
    public static ClientWebSocket CreateSocket(string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        return socket;
    }

    public async Task<JsonElement> HelloAsync(string? token, int? sampleRate = null, int? blockSize = null)
    {
        await SendHelloAsync(token, sampleRate, blockSize);
        Welcome = await ReceiveJsonAsync("welcome");
        return Welcome;
    }

    public Task SendHelloAsync(string? token, int? sampleRate = null, int? blockSize = null)
    {
        var hello = new Dictionary<string, object> { ["op"] = "hello", ["version"] = 1 };
        if (token is not null)
        {
            hello["token"] = token;
        }
        if (sampleRate is not null)
        {
            hello["sampleRate"] = sampleRate;
        }
        if (blockSize is not null)
        {
            hello["blockSize"] = blockSize;
        }
        return SendJsonAsync(hello);
    }

    public Task SendCreditAsync(int blocks) => SendTextAsync($"{{\"op\":\"credit\",\"blocks\":{blocks}}}");

    public Task SendSetAsync(int component, double? frequency = null, double? amplitude = null)
    {
        var set = new Dictionary<string, object> { ["op"] = "set", ["component"] = component };
        if (frequency is not null)
        {
            set["frequency"] = frequency;
        }
        if (amplitude is not null)
        {
            set["amplitude"] = amplitude;
        }
        return SendJsonAsync(set);
    }

    public Task SendJsonAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] data) => SendAsync(data, WebSocketMessageType.Binary);

    private async Task SendAsync(byte[] data, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(data, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next whole message, or the close frame (answered, so the server sees a clean close).</summary>
    public async Task<ServerMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var received = new ServerMessage(WebSocketMessageType.Close, [], result.CloseStatus,
                        result.CloseStatusDescription);
                    if (Socket.State == WebSocketState.CloseReceived)
                    {
                        try
                        {
                            await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                        }
                        catch (WebSocketException)
                        {
                            // The server did not wait for the answer; the close it sent is what counts.
                        }
                    }
                    return received;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new ServerMessage(result.MessageType, message.ToArray());
                }
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No message from the server within {Timeout.TotalSeconds} s.", ex);
        }
    }

    /// <summary>The next message, which must be a JSON text (with <paramref name="expectedOp"/> when given).</summary>
    public async Task<JsonElement> ReceiveJsonAsync(string? expectedOp = null)
    {
        var message = await ReceiveAsync();
        Assert.True(message.Type == WebSocketMessageType.Text, $"Expected a JSON text message; got {message}.");
        using var document = JsonDocument.Parse(message.Data);
        var json = document.RootElement.Clone();
        if (expectedOp is not null)
        {
            Assert.True(json.TryGetProperty("op", out var op) && op.GetString() == expectedOp,
                $"Expected op '{expectedOp}'; got {message.Text}");
        }
        return json;
    }

    /// <summary>The next message, which must be an error with <paramref name="code"/>; returns its message text.</summary>
    public async Task<string> ReceiveErrorAsync(string code)
    {
        var error = await ReceiveJsonAsync("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        var text = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(text));
        return text!;
    }

    public async Task<byte[]> ReceiveBinaryAsync()
    {
        var message = await ReceiveAsync();
        Assert.True(message.Type == WebSocketMessageType.Binary, $"Expected a binary message; got {message}.");
        return message.Data;
    }

    public async Task<Block> ReceiveBlockAsync() => Block.Parse(await ReceiveBinaryAsync());

    public async Task<Block[]> ReceiveBlocksAsync(int count)
    {
        var blocks = new Block[count];
        for (var i = 0; i < count; i++)
        {
            blocks[i] = await ReceiveBlockAsync();
        }
        return blocks;
    }

    /// <summary>Grants <paramref name="count"/> blocks and receives them.</summary>
    public async Task<Block[]> TakeBlocksAsync(int count)
    {
        await SendCreditAsync(count);
        return await ReceiveBlocksAsync(count);
    }

    /// <summary>
    /// Proves that the server owes this client no block, without waiting for time to pass: sends an invalid message
    /// and requires its error reply to be the very next message. The server renders a block as soon as it holds a
    /// credit, long before it can have read the probe sent after the last expected block, so a block it still had
    /// credit for would arrive before the reply.
    /// </summary>
    public async Task AssertNoMoreBlocksAsync()
    {
        await SendTextAsync("{\"op\":\"no-such-op\"}");
        var next = await ReceiveAsync();
        Assert.True(next.Type == WebSocketMessageType.Text && next.Text.Contains("\"unknown-op\"", StringComparison.Ordinal),
            $"Expected only the unknown-op error reply, nothing else; got {next}.");
    }

    /// <summary>Reads until the close frame (skipping anything still in flight) and answers it.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Description)> ReceiveCloseAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.Type == WebSocketMessageType.Close)
            {
                return (message.CloseStatus, message.CloseDescription);
            }
        }
    }

    /// <summary>Reads until the close frame and asserts it is a stopping server's: 1001 with its reason.</summary>
    public async Task AssertServerStoppedAsync()
    {
        var (status, reason) = await ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("The server is stopping.", reason);
    }

    /// <summary>The next message must be the close frame (nothing else before it).</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Description)> ReceiveCloseNextAsync()
    {
        var message = await ReceiveAsync();
        Assert.True(message.Type == WebSocketMessageType.Close, $"Expected the close frame; got {message}.");
        return (message.CloseStatus, message.CloseDescription);
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Helpers shared by the streaming tests.</summary>
internal static class StreamTest
{
    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public static Task<SynthServer> StartAsync(Synth synth, Action<SynthServerOptions>? configure = null)
    {
        var options = new SynthServerOptions { Port = 0 };
        configure?.Invoke(options);
        return SynthServer.StartAsync(synth, options);
    }

    /// <summary>A port that was free a moment ago: the one a Port = 0 server got, after stopping that server.</summary>
    public static async Task<int> FreePortAsync()
    {
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        return server.Port;
    }

    /// <summary>The blocks a fresh voice renders, one <c>Read</c> per block, as the server does.</summary>
    public static float[][] Render(OscillatorBank voice, int blocks, int blockSize)
    {
        var result = new float[blocks][];
        for (var b = 0; b < blocks; b++)
        {
            result[b] = new float[blockSize];
            voice.Read(result[b]);
        }
        return result;
    }

    /// <summary>Bitwise equality of every sample (NaN-safe), with the first difference in the failure message.</summary>
    public static void AssertSameSamples(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: sample {i} is {actual[i]:R}, expected {expected[i]:R}.");
            }
        }
    }

    public static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                Assert.Fail($"{what}: sample {i} is {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance}).");
            }
        }
    }

    /// <summary>
    /// Waits, for at most <paramref name="timeout"/> (5 s by default), until <paramref name="condition"/> holds: for
    /// server-side state that settles just after the client-visible event (counters updated after a socket closes).
    /// </summary>
    public static async Task WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }
            await Task.Delay(10);
        }
    }
}
