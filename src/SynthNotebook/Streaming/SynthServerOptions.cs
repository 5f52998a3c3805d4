using System.Net;

namespace SynthNotebook.Streaming;

/// <summary>How a <see cref="SynthServer"/> listens and what it accepts. The defaults are safe on a shared machine.</summary>
public sealed class SynthServerOptions
{
    /// <summary>The seed's port, the default unless <see cref="PortVariable"/> names another.</summary>
    public const int DefaultPort = 8889;

    /// <summary>The environment variable that sets the default port of this process (0: any free port).</summary>
    public const string PortVariable = "SYNTHNOTEBOOK_PORT";

    /// <summary>
    /// TCP port; 0 picks any free port (read the chosen one from <see cref="SynthServer.Port"/>). Null, the default: the
    /// default port (<see cref="DefaultPortForThisProcess"/>), or any free port when another program holds it.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>The default port: <see cref="PortVariable"/> when set to a port number, else <see cref="DefaultPort"/>.</summary>
    public static int DefaultPortForThisProcess =>
        int.TryParse(Environment.GetEnvironmentVariable(PortVariable), out var port) && port is >= 0 and <= IPEndPoint.MaxPort
            ? port : DefaultPort;

    /// <summary>Address to bind. Loopback unless you mean to let other machines listen (they still need the token).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The access token clients must present; a fresh random one per server when null.</summary>
    public string? Token { get; set; }

    /// <summary>Pages allowed to connect; see <see cref="OriginPolicy"/> for the pattern syntax. Add to it to allow more.</summary>
    public List<string> AllowedOrigins { get; } = [.. OriginPolicy.DefaultAllowedOrigins];

    /// <summary>Most blocks a client may have granted and not yet been sent (more granted meanwhile is refused).</summary>
    public int MaxCredits { get; set; } = 64;

    /// <summary>Largest message a client may send; a bigger one closes the connection with 1009 (message too big).</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Most connections at once; one more is answered HTTP 503 before the upgrade, saying so.</summary>
    public int MaxConnections { get; set; } = 512;

    /// <summary>
    /// How many times faster than real time one connection may take audio (after a first 10 s, taken at once): a
    /// player takes 1×; a client that grants without end is paced, not rendered for as fast as a core allows. 0: no
    /// limit (throughput benchmarks).
    /// </summary>
    public double MaxRealTimeFactor { get; set; } = 64;

    /// <summary>How long a client may take to accept one message before it is taken to have stopped reading and is dropped.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new connection may take to say hello before it is closed.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
