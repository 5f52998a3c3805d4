using System.Net;

namespace SynthNotebook.Streaming;

/// <summary>A server could not listen: another program holds the port. The message is one line a user can act on.</summary>
public sealed class PortUnavailableException(IPAddress address, int port)
    : InvalidOperationException(port == 0
        ? $"No free port on {address} to listen on."
        : $"Port {port} on {address} is taken by another program: start the server on another port, or without one to take any free port.")
{
    /// <summary>The port asked for.</summary>
    public int Port { get; } = port;

    /// <summary>
    /// The message alone: this is the user's situation to change, not a fault to trace, and a kernel shows a failed
    /// cell's exception as its ToString (stack and all).
    /// </summary>
    public override string ToString() => Message;
}
