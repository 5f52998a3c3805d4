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
        ParameterGuard.InRange(options.RewoundCushionMs, 0, 400, " ms");
        if (options.SampleRate is { } rate)
        {
            ParameterGuard.InRange(rate, SynthLimits.MinSampleRate, SynthLimits.MaxSampleRate);
        }

        var id = $"synth-player-{Guid.NewGuid():N}";
        var parameters = server.Synth.Parameters;
        // The default encoder escapes <, > and &, so the JSON cannot end the script element early.
        var config = JsonSerializer.Serialize(new PlayerConfig(
            Url: server.WebSocketUrl.ToString(),
            Token: server.Token.Value,
            PageUrl: server.PageUrl.ToString(),
            Mode: options.Mode == StreamMode.Duplex ? "duplex" : "synth",
            DuplexPageUrl: server.DuplexPageUrl.ToString(),
            Microphone: new(options.EchoCancellation, options.NoiseSuppression, options.AutoGainControl),
            MonitorMicrophone: options.MonitorMicrophone,
            Components: [.. parameters.Components.Select(c => new PlayerConfig.Component(c.Frequency, c.Amplitude))],
            Gain: parameters.Gain,
            // The sliders' ranges are the synth's own: its Nyquist frequency and the gain limit.
            Limits: new(server.Synth.MaxFrequency, SynthLimits.MaxGain),
            BlockSize: options.BlockSize,
            MaxPace: PaceSchedule.MaxCatchUp,
            TargetLatencyMs: options.TargetLatencyMs,
            RewoundCushionMs: options.RewoundCushionMs,
            DuplexLatencyMs: options.DuplexLatencyMs,
            SampleRate: options.SampleRate,
            WorkletSource: ClientScripts.Worklet,
            WorkerSource: ClientScripts.Worker), SynthNotebookJson.Default.PlayerConfig);
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
}
