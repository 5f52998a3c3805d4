namespace SynthNotebook.Player;

/// <summary>
/// The player's JavaScript: ES modules in Player/*.js, embedded in the assembly, linked into one script per place
/// it runs (<see cref="ModuleBundle"/>).
/// </summary>
internal static class ClientScripts
{
    private static readonly Lazy<string> PlayerScript = new(() => Bundle("player.js"));
    private static readonly Lazy<string> WorkletScript = new(() => Bundle("worklets.js"));
    private static readonly Lazy<string> WorkerScript = new(() => Bundle("stream-worker.js"));
    private static readonly Lazy<string> PageFeedScript = new(() => Bundle("page-feed.js"));

    /// <summary>The widget (and the ring and the link for pages that allow no AudioWorklet or Worker); it defines <c>mountSynthPlayer</c>.</summary>
    public static string Player => PlayerScript.Value;

    /// <summary>The AudioWorklet module (the player and the microphone), loaded by the player from a Blob URL.</summary>
    public static string Worklet => WorkletScript.Value;

    /// <summary>The Worker that owns the socket, loaded by the player from a Blob URL.</summary>
    public static string Worker => WorkerScript.Value;

    /// <summary>The server page's follower of what its program shows; it defines <c>followPageFeed</c>.</summary>
    public static string PageFeed => PageFeedScript.Value;

    /// <summary>One module's source, as embedded.</summary>
    public static string Module(string name) => EmbeddedScript.Read($"SynthNotebook.Player.{name}");

    private static string Bundle(string entry) => ModuleBundle.Link(entry, Module);
}
