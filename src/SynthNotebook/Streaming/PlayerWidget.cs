using System.Net;
using System.Text.Json;
using SynthNotebook.Player;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Streaming;

/// <summary>
/// The player as HTML: Play/Stop, a slider per component, a gain slider and a live status line, bound to one server.
/// Every snippet gets its own element id and keeps all its state inside its own closure, so several players on a
/// page (or in several notebook outputs) do not interfere.
/// </summary>
public static class PlayerWidget
{
    /// <summary>An HTML fragment (a div and its script) for a notebook output or any page.</summary>
    public static string Html(SynthServer server, PlayerOptions? options = null) => Html(server, options, scriptNonce: null);

    /// <summary>As above; the script carries <paramref name="scriptNonce"/> for a page whose CSP names it.</summary>
    internal static string Html(SynthServer server, PlayerOptions? options, string? scriptNonce)
    {
        ArgumentNullException.ThrowIfNull(server);
        options ??= new PlayerOptions();
        ParameterGuard.InRange(options.BlockSize, SynthLimits.MinBlockSize, SynthLimits.MaxBlockSize);
        ParameterGuard.InRange(options.TargetLatencyMs, 1, 2000, " ms");
        ParameterGuard.InRange(options.DuplexLatencyMs, 1, 2000, " ms");
        if (options.SampleRate is { } rate)
        {
            ParameterGuard.InRange(rate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        }

        var id = $"synth-player-{Guid.NewGuid():N}";
        var parameters = server.Synth.Parameters;
        // The default encoder escapes <, > and &, so the JSON cannot end the script element early.
        var config = JsonSerializer.Serialize(new
        {
            url = server.WebSocketUrl.ToString(),
            token = server.Token.Value,
            pageUrl = server.PageUrl.ToString(),
            mode = options.Mode == StreamMode.Duplex ? "duplex" : "synth",
            duplexPageUrl = server.DuplexPageUrl.ToString(),
            microphone = new
            {
                echoCancellation = options.EchoCancellation,
                noiseSuppression = options.NoiseSuppression,
                autoGainControl = options.AutoGainControl,
            },
            components = parameters.Components.Select(c => new { frequency = c.Frequency, amplitude = c.Amplitude }),
            gain = parameters.Gain,
            // The sliders' ranges are the synth's own: its Nyquist frequency and the gain limit.
            limits = new { maxFrequency = server.Synth.MaxFrequency, maxGain = SynthLimits.MaxGain },
            blockSize = options.BlockSize,
            targetLatencyMs = options.TargetLatencyMs,
            duplexLatencyMs = options.DuplexLatencyMs,
            sampleRate = options.SampleRate,
            workletSource = ClientScripts.Worklet,
            workerSource = ClientScripts.Worker,
        });
        return $"""
            <div id="{id}" class="synth-notebook-player"></div>
            <script{(scriptNonce is null ? "" : $" nonce=\"{scriptNonce}\"")}>
            (() => {"{"}
            {ClientScripts.Player}
            synthModules['player.js'].mountSynthPlayer(document.getElementById("{id}"), {config});
            {"}"})();
            </script>
            """;
    }

    /// <summary>A whole page with one player: what the server answers at its root for a request with the token.</summary>
    public static string Page(SynthServer server, PlayerOptions? options = null) => Page(server, options, scriptNonce: null);

    /// <summary>As above, its script marked with the nonce of the page's Content-Security-Policy.</summary>
    internal static string Page(SynthServer server, PlayerOptions? options, string? scriptNonce) => $"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>SynthNotebook · {WebUtility.HtmlEncode(server.WebSocketUrl.Authority)}</title></head>
        <body>
        <h1 style="font: 600 16px system-ui, sans-serif">SynthNotebook</h1>
        {Html(server, options, scriptNonce)}
        </body>
        </html>
        """;
}
