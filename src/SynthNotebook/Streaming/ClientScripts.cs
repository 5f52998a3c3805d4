namespace SynthNotebook.Streaming;

/// <summary>The player's JavaScript, kept in real .js files (Streaming/Client) and embedded in the assembly.</summary>
internal static class ClientScripts
{
    private static readonly Lazy<string> SampleRingSource = new(() => Load("sample-ring.js"));
    private static readonly Lazy<string> PlayerSource = new(() => Load("player.js"));
    private static readonly Lazy<string> WorkletSource = new(() => Load("player-worklet.js"));

    /// <summary>The main-thread player: the ring (for the fallback) and the widget.</summary>
    public static string Player => SampleRingSource.Value + "\n" + PlayerSource.Value;

    /// <summary>The AudioWorklet module, loaded by the player from a Blob URL.</summary>
    public static string Worklet => SampleRingSource.Value + "\n" + WorkletSource.Value;

    private static string Load(string name)
    {
        using var stream = typeof(ClientScripts).Assembly.GetManifestResourceStream($"SynthNotebook.Client.{name}")
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from the SynthNotebook assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
