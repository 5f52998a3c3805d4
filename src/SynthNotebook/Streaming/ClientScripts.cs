namespace SynthNotebook.Streaming;

/// <summary>The player's JavaScript, kept in real .js files (Streaming/Client) and embedded in the assembly.</summary>
internal static class ClientScripts
{
    private static readonly Lazy<string> SampleRingSource = new(() => Load("sample-ring.js"));
    private static readonly Lazy<string> PlayerSource = new(() => Load("player.js"));
    private static readonly Lazy<string> WorkletSource = new(() => Load("player-worklet.js"));
    private static readonly Lazy<string> CushionSource = new(() => Load("cushion.js"));
    private static readonly Lazy<string> StreamLinkSource = new(() => Load("stream-link.js"));
    private static readonly Lazy<string> WorkerSource = new(() => Load("stream-worker.js"));
    private static readonly Lazy<string> MicWorkletSource = new(() => Load("mic-worklet.js"));
    private static readonly Lazy<string> ScopeSource = new(() => Load("scope.js"));

    /// <summary>The widget, with the ring and the stream link for pages that allow no AudioWorklet or Worker.</summary>
    public static string Player => string.Join("\n", SampleRingSource.Value, CushionSource.Value, StreamLinkSource.Value, ScopeSource.Value, PlayerSource.Value);

    /// <summary>The AudioWorklet module (the player and the microphone), loaded by the player from a Blob URL.</summary>
    public static string Worklet => string.Join("\n", SampleRingSource.Value, WorkletSource.Value, MicWorkletSource.Value);

    /// <summary>The Worker that owns the socket, loaded by the player from a Blob URL.</summary>
    public static string Worker => string.Join("\n", CushionSource.Value, StreamLinkSource.Value, WorkerSource.Value);

    private static string Load(string name) => EmbeddedScript.Read($"SynthNotebook.Client.{name}");
}
