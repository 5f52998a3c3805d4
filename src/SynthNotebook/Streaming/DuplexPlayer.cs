namespace SynthNotebook.Streaming;

/// <summary>
/// The microphone player of a server: a notebook shows it as the player in duplex mode (microphone → the server's
/// <see cref="SynthServer.Chain"/> → speakers), with a link to the server's own page where a webview refuses the
/// microphone.
/// </summary>
public sealed record DuplexPlayer(SynthServer Server)
{
    /// <summary>The widget as an HTML fragment.</summary>
    public string Html(PlayerOptions? options = null) =>
        PlayerWidget.Html(Server, (options ?? Server.PageOptions) with { Mode = StreamMode.Duplex });
}
