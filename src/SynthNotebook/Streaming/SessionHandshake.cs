using System.Net.WebSockets;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// The edge of a connection: its first message, within the hello timeout, is a hello (or the seed's bare request),
/// the token is checked here and nowhere else, and what it asks for is checked against the server's limits. Anything
/// wrong ends in a <see cref="SessionClose"/> whose reason says what to fix (docs/protocol.md, "Handshake").
/// </summary>
internal sealed class SessionHandshake(SynthServerOptions options, AccessToken token, string? queryToken, Synth synth)
{
    /// <summary>Reads and checks the first message.</summary>
    public async Task<StreamRequest> ReadAsync(SessionSocket socket, byte[] buffer, CancellationToken abort)
    {
        var receive = socket.ReceiveMessageAsync(buffer, abort).AsTask();
        if (await Task.WhenAny(receive, Task.Delay(options.HelloTimeout, abort)) != receive)
        {
            throw new SessionClose(WebSocketCloseStatus.PolicyViolation,
                $"No hello within {options.HelloTimeout.TotalSeconds:0.#} s.") { PendingReceive = receive };
        }
        var (type, length) = await receive;
        var message = buffer.AsSpan(0, length);
        if (type == WebSocketMessageType.Close)
        {
            throw new SessionClose(WebSocketCloseStatus.NormalClosure, "");
        }
        if (type == WebSocketMessageType.Binary)
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidMessageType, "The first message must be a text hello.");
        }
        if (!ClientMessage.LooksLikeJson(message))
        {
            // The seed's client: no hello, token in the URL, every text message asks for one headerless block.
            RequireToken(null);
            return Checked(new StreamRequest(StreamMode.Synth, synth.SampleRate, synth.BlockSize, 0, Rewind: false, SeedMode: true));
        }
        if (!ClientMessage.TryParse(message, out var hello, out var error) || hello.Op != ClientOp.Hello)
        {
            throw new SessionClose(WebSocketCloseStatus.ProtocolError,
                "The first JSON message must be {\"op\":\"hello\",...}. " + error.Message);
        }
        RequireToken(hello.Token);
        var mode = hello.Mode switch
        {
            null or "synth" => StreamMode.Synth,
            "duplex" => StreamMode.Duplex,
            _ => throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData,
                $"mode must be \"synth\" or \"duplex\"; got {hello.Mode}."),
        };
        var request = Checked(new StreamRequest(mode,
            WholeNumber(hello.SampleRate, synth.SampleRate, "sampleRate"),
            WholeNumber(hello.BlockSize, synth.BlockSize, "blockSize"),
            PaceGroup: 0, Rewind: hello.Rewind && mode == StreamMode.Synth, SeedMode: false));
        if (mode == StreamMode.Duplex && BlockFrame.HeaderBytes + request.BlockSize * sizeof(float) > options.MaxMessageBytes)
        {
            var largest = (options.MaxMessageBytes - BlockFrame.HeaderBytes) / sizeof(float);
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData,
                $"In duplex mode a block travels in one message of at most {options.MaxMessageBytes} bytes: blockSize must be at most {largest}.");
        }
        if (hello.Pace is null)
        {
            return request;
        }
        var group = WholeNumber(hello.Pace, 0, "pace");
        if (mode == StreamMode.Duplex || group < 1 || group > PaceSchedule.MaxCatchUp)
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, mode == StreamMode.Duplex
                ? "pace is for synth mode: a duplex connection gets a block for each block it sends."
                : $"pace must be a whole number of blocks in [1, {PaceSchedule.MaxCatchUp}]; got {group}.");
        }
        return request with { PaceGroup = group };
    }

    private void RequireToken(string? helloToken)
    {
        var presented = helloToken is not null || queryToken is not null;
        var valid = (helloToken is null || token.Matches(helloToken)) && (queryToken is null || token.Matches(queryToken));
        if (!presented || !valid)
        {
            throw new SessionClose(WebSocketCloseStatus.PolicyViolation,
                presented ? "Invalid token." : "Missing token: send it in the hello or as ?token= in the URL.");
        }
    }

    private static StreamRequest Checked(StreamRequest request)
    {
        try
        {
            ParameterGuard.InRange(request.BlockSize, SynthLimits.MinBlockSize, SynthLimits.MaxBlockSize, "blockSize");
            ParameterGuard.InRange(request.SampleRate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate, "sampleRate");
            return request;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, ExceptionText.WithoutParameterName(ex.Message));
        }
    }

    private static int WholeNumber(double? value, int fallback, string name)
    {
        if (value is not { } number)
        {
            return fallback;
        }
        if (number != Math.Floor(number) || number is < int.MinValue or > int.MaxValue)
        {
            throw new SessionClose(WebSocketCloseStatus.InvalidPayloadData, $"{name} must be a whole number; got {number}.");
        }
        return (int)number;
    }
}
