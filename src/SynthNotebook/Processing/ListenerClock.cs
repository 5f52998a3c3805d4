namespace SynthNotebook.Processing;

/// <summary>
/// Where one listener's stream is: the stream sample its next block starts on (its sequence number × its block size).
/// The sources a patch makes for that listener get it, so a note played from that listener's page can sound on the
/// very sample the page asked for (docs/protocol.md, <c>note-on</c> <c>at</c>) rather than on the next block's first.
/// Written and read on the listener's writer only.
/// </summary>
internal sealed class ListenerClock
{
    /// <summary>The stream sample the block being rendered starts on.</summary>
    public long BlockStart { get; set; }
}
