using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace SynthNotebook.Streaming;

/// <summary>
/// A session's WebSocket: one send at a time (each bounded by the send timeout, so a client that stopped reading is
/// let go), whole messages received within a size limit, and a close sent once with its reason, then the client's
/// close frame waited for.
/// </summary>
internal sealed class SessionSocket(WebSocket socket, TimeSpan sendTimeout, GatheringStream? gathering) : IDisposable
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    // How long a close waits for a send under way; a send stuck on a client that stopped reading is cut short.
    private static readonly TimeSpan CloseWaitForSend = TimeSpan.FromSeconds(1);
    private const int MaxCloseReasonBytes = 123; // RFC 6455 §5.5: control frames carry at most 125 bytes

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _overLimit = new byte[1];
    private CancellationTokenSource? _sendLimit; // abort, or a send that outlasts the send timeout
    private volatile bool _closeSent;

    /// <summary>True once a close frame went out (or the connection was cut): every later send is dropped.</summary>
    public bool CloseSent => _closeSent;

    /// <summary>Gathers a group of blocks into one write; null on a connection without it.</summary>
    public GatheringStream? Gathering => gathering;

    /// <summary>Ties every send's limit to <paramref name="abort"/>; called once, before the first send.</summary>
    public void Open(CancellationToken abort) => _sendLimit = CancellationTokenSource.CreateLinkedTokenSource(abort);

    /// <summary>Sends one whole message; false when the session had already closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken abort)
    {
        await _sendLock.WaitAsync(abort);
        try
        {
            if (_closeSent)
            {
                return false;
            }
            // A client that takes no message for the send timeout has stopped reading: the cancelled send aborts its
            // connection, and the session ends (the timer is re-armed, not reallocated, per send).
            var limit = _sendLimit!;
            limit.CancelAfter(sendTimeout);
            await socket.SendAsync(data, type, endOfMessage: true, limit.Token);
            limit.CancelAfter(Timeout.InfiniteTimeSpan);
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Writes what <see cref="Gathering"/> collected since its Gather as one write.</summary>
    public async ValueTask SendGatheredAsync(CancellationToken abort)
    {
        await _sendLock.WaitAsync(abort);
        try
        {
            var limit = _sendLimit!;
            limit.CancelAfter(sendTimeout);
            await gathering!.SendGatheredAsync(limit.Token);
            limit.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (OperationCanceledException)
        {
            // As a cancelled send through the WebSocket layer would: a client that stopped reading is let go.
            socket.Abort();
            throw;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; a larger one is a 1009 violation.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(byte[] buffer, CancellationToken abort)
    {
        var length = 0;
        while (true)
        {
            // A full buffer may still end with an empty last fragment: one byte more than the limit tells.
            var room = length < buffer.Length ? buffer.AsMemory(length) : _overLimit;
            var result = await socket.ReceiveAsync(room, abort);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }
            if (length == buffer.Length && result.Count > 0)
            {
                throw new SessionClose(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {buffer.Length} bytes.");
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, length);
            }
        }
    }

    /// <summary>
    /// Sends a close frame once; later sends are dropped. Safe to call from any thread. A client that stopped reading,
    /// with a send stuck on it, cannot take a close frame either: its connection is aborted instead.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (!await _sendLock.WaitAsync(CloseWaitForSend))
        {
            _closeSent = true;
            socket.Abort();
            return;
        }
        try
        {
            if (_closeSent)
            {
                return;
            }
            _closeSent = true;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await socket.CloseOutputAsync(status, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer is already gone.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// After closing, waits (briefly) for the client's close frame so it sees a clean close with our reason. Whatever
    /// arrives before it is discarded, however big: the rest of an oversized message has to be read too, or the abort
    /// that follows resets the connection and the client loses the close frame (and its reason) still in flight.
    /// </summary>
    public async Task DrainUntilCloseAsync(byte[] buffer, Task<(WebSocketMessageType Type, int Length)>? pending)
    {
        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        var expired = Task.Delay(Timeout.Infinite, timeout.Token);
        try
        {
            var receive = pending ?? DiscardMessageAsync(buffer);
            while (await Task.WhenAny(receive, expired) == receive && !await IsCloseAsync(receive))
            {
                receive = DiscardMessageAsync(buffer);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // Nothing more to read.
        }
    }

    /// <summary>Cuts the connection unless it closed cleanly.</summary>
    public void AbortUnlessClosed()
    {
        if (socket.State != WebSocketState.Closed)
        {
            socket.Abort();
        }
    }

    public void Dispose() => _sendLimit?.Dispose();

    private static async Task<bool> IsCloseAsync(Task<(WebSocketMessageType Type, int Length)> receive)
    {
        try
        {
            return (await receive).Type == WebSocketMessageType.Close;
        }
        catch (SessionClose)
        {
            return false; // a pending hello that turned out oversized: its rest is discarded next
        }
    }

    /// <summary>Reads the rest of the current message, or the next one, without keeping it; no size limit.</summary>
    private async Task<(WebSocketMessageType Type, int Length)> DiscardMessageAsync(byte[] buffer)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close || result.EndOfMessage)
            {
                return (result.MessageType, 0);
            }
        }
    }

    private static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }
        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes - 3)
        {
            length--;
        }
        return string.Concat(reason.AsSpan(0, length), "...");
    }
}
