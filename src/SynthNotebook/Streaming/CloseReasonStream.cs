using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace SynthNotebook.Streaming;

/// <summary>
/// The upgraded connection's stream, which gives a reason to the closes the WebSocket layer raises by itself. The
/// managed WebSocket refuses invalid UTF-8 (1007) and broken framing (1002) before the session sees the message, and
/// sends those closes with an empty reason. This stream follows the server's outgoing frames (unmasked, RFC 6455 §5.2)
/// and rewrites a close frame that carries only a status into one that also says what was wrong. Every other byte
/// passes through untouched, and a close that arrives split across writes is left as it is.
/// </summary>
internal sealed class CloseReasonStream(Stream inner) : DuplexStreamWrapper(inner)
{
    private const byte FinalCloseFrame = 0x88;

    /// <summary>How long a close the layer raised waits for the client to read it (plenty on loopback; bounds stop).</summary>
    public static readonly TimeSpan ClientReadsCloseWithin = TimeSpan.FromSeconds(1);

    // Payload bytes of the current outgoing frame still to come; 0 means the next write starts a frame.
    private long _payloadLeft;

    /// <summary>The reason sent with a status-only close of the WebSocket layer, or null to leave it empty.</summary>
    public static string? ReasonFor(WebSocketCloseStatus status) => status switch
    {
        WebSocketCloseStatus.InvalidPayloadData =>
            "A text message was not valid UTF-8 (RFC 6455 section 8.1): send text messages as UTF-8.",
        WebSocketCloseStatus.ProtocolError =>
            "Malformed WebSocket frame (RFC 6455 section 5): masking, reserved bits, opcode or control-frame rules broken.",
        WebSocketCloseStatus.MessageTooBig => "A WebSocket frame was too long for this server.",
        _ => null,
    };

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_payloadLeft == 0 && TryAddReason(buffer.Span) is { } close)
        {
            return SendLayerCloseAsync(close, cancellationToken);
        }
        Follow(buffer.Span);
        return Inner.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>
    /// Sends the layer's close and holds it until the client has read it. Right after this write returns, the layer
    /// aborts the connection, and a reset can overtake the close frame on its way, so the client would never learn why.
    /// The hold ends when the client answers with its close or leaves, within <see cref="ClientReadsCloseWithin"/>.
    /// </summary>
    private async ValueTask SendLayerCloseAsync(byte[] close, CancellationToken cancellationToken)
    {
        await Inner.WriteAsync(close, cancellationToken);
        await Inner.FlushAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ClientReadsCloseWithin);
        var buffer = new byte[256];
        try
        {
            int read;
            while ((read = await Inner.ReadAsync(buffer, timeout.Token)) > 0 && !IsClientClose(buffer.AsSpan(0, read)))
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Time is up or the client is gone: the connection may end now.
        }
    }

    // A client's close arrives as one masked frame: FIN+close, mask bit and length, 4 mask bytes, the payload.
    private static bool IsClientClose(ReadOnlySpan<byte> read) =>
        read.Length >= 6 && read[0] == FinalCloseFrame && (read[1] & 0x80) != 0 && read.Length == 6 + (read[1] & 0x7F);

    /// <summary>A whole status-only close frame, rewritten with its reason; null for anything else.</summary>
    private static byte[]? TryAddReason(ReadOnlySpan<byte> write)
    {
        if (write.Length != 4 || write[0] != FinalCloseFrame || write[1] != 2)
        {
            return null;
        }
        var status = (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(write[2..]);
        if (ReasonFor(status) is not { } reason)
        {
            return null;
        }
        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var frame = new byte[4 + reasonBytes.Length];
        frame[0] = FinalCloseFrame;
        frame[1] = (byte)(2 + reasonBytes.Length); // a control frame's payload is at most 125 bytes (tested)
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)status);
        reasonBytes.CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>Walks the frames a write holds, so the next write is known to start a frame or not.</summary>
    private void Follow(ReadOnlySpan<byte> write)
    {
        while (!write.IsEmpty)
        {
            if (_payloadLeft > 0)
            {
                var taken = (int)Math.Min(_payloadLeft, write.Length);
                _payloadLeft -= taken;
                write = write[taken..];
                continue;
            }
            if (!TryReadHeader(write, out var headerLength, out var payloadLength))
            {
                // A header split across writes: no longer sure where frames start, so stop rewriting for good.
                _payloadLeft = long.MaxValue;
                return;
            }
            _payloadLeft = payloadLength;
            write = write[headerLength..];
        }
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> bytes, out int headerLength, out long payloadLength)
    {
        headerLength = 0;
        payloadLength = 0;
        if (bytes.Length < 2)
        {
            return false;
        }
        var length7 = bytes[1] & 0x7F; // the server never masks
        (headerLength, payloadLength) = length7 switch
        {
            126 when bytes.Length >= 4 => (4, BinaryPrimitives.ReadUInt16BigEndian(bytes[2..])),
            127 when bytes.Length >= 10 => (10, (long)BinaryPrimitives.ReadUInt64BigEndian(bytes[2..])),
            < 126 => (2, length7),
            _ => (0, 0L),
        };
        return headerLength > 0;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

    public override void Flush() => Inner.Flush();
}
