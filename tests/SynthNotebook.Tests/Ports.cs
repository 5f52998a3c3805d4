using System.Net;
using System.Net.Sockets;

namespace SynthNotebook.Tests;

/// <summary>Ports as another program sees them: one it holds, and one it can take.</summary>
public static class Ports
{
    /// <summary>A loopback port held open, as another program on the machine would hold it, until disposed.</summary>
    public static HeldPort HoldOne()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new HeldPort(listener);
    }

    /// <summary>Fails unless another program could listen on <paramref name="port"/> now.</summary>
    public static void AssertFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(); // throws SocketException (address in use) when something still holds it
        listener.Stop();
    }

    public sealed class HeldPort(TcpListener listener) : IDisposable
    {
        public int Port { get; } = ((IPEndPoint)listener.LocalEndpoint).Port;

        public void Dispose() => listener.Stop();
    }
}
