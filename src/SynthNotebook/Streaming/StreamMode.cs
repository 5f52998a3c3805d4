namespace SynthNotebook.Streaming;

/// <summary>What a connection streams (the hello's <c>mode</c>, docs/protocol.md).</summary>
public enum StreamMode
{
    /// <summary>The server sends the synth, a block per credit.</summary>
    Synth,

    /// <summary>The client sends audio (its microphone) and gets each block back through the server's chain.</summary>
    Duplex,
}
