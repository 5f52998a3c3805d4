using System.Net.WebSockets;

namespace SynthNotebook.Streaming;

/// <summary>A protocol violation: the session closes the socket with <paramref name="status"/> and a reason.</summary>
internal sealed class SessionClose(WebSocketCloseStatus status, string reason) : Exception(reason)
{
    public WebSocketCloseStatus Status { get; } = status;

    /// <summary>A receive that was still pending when the violation was found, so the close handshake can reuse it.</summary>
    public Task<(WebSocketMessageType Type, int Length)>? PendingReceive { get; init; }
}
