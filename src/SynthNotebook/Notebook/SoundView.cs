using System.Globalization;
using System.Net;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Notebook;

/// <summary>
/// A <see cref="Sound"/> as a notebook (or any page) shows it with no server: its waveform, an audio element playing a
/// WAV held in a data URL (lossless float32; VS Code, Jupyter and browsers play it), and a link that downloads it.
/// The data URL lives in the notebook file, so a sound over <see cref="MaxPlayableBytes"/> shows its waveform and says
/// how to hear it instead of making a page that freezes.
/// </summary>
public static class SoundView
{
    /// <summary>The largest WAV an output carries: 4 MiB, about 22 s at 48 kHz (5.3 MiB once base64-encoded).</summary>
    public const int MaxPlayableBytes = 4 << 20;

    /// <summary>The sound's HTML: waveform chart, player and download (or, when too long, what to do instead).</summary>
    public static string Html(Sound sound)
    {
        ArgumentNullException.ThrowIfNull(sound);
        var samples = sound.SampleArray;
        var chart = ChartHtml.ForNotebook(Plot.Waveform(samples, sound.SampleRate, title: $"Sound · {Describe(sound)}").FigureJson);
        return $"""<div class="synth-notebook-sound" style="font: 13px system-ui, sans-serif; max-width: 640px">{chart}{Player(sound, samples)}</div>""";
    }

    private static string Player(Sound sound, float[] samples)
    {
        var bytes = 44L + samples.Length * (long)sizeof(float);
        if (bytes > MaxPlayableBytes)
        {
            var limit = MaxPlayableBytes / sizeof(float) / (double)sound.SampleRate;
            return FormattableString.Invariant(
                $"<p class=\"synth-notebook-sound-too-long\">This sound is {sound.Duration.TotalSeconds:0.#} s; an output plays at most {limit:0.#} s at {sound.SampleRate} Hz. ")
                + "Show a part of it (<code>sound.Slice(start, length)</code>), stream it (<code>SynthServer.Start(synth)</code>), "
                + "or write it to a file (<code>sound.WriteWav(\"sound.wav\")</code>).</p>";
        }
        var url = "data:audio/wav;base64," + Convert.ToBase64String(WavFile.Bytes(samples, sound.SampleRate));
        return $"""
            <div style="display: flex; gap: 12px; align-items: center">
            <audio controls preload="auto" src="{url}" data-sample-rate="{sound.SampleRate}" data-samples="{samples.Length}"></audio>
            <a download="sound.wav" href="{url}">download WAV</a>
            <span style="opacity: .8">{WebUtility.HtmlEncode(Describe(sound))}</span>
            </div>
            """;
    }

    private static string Describe(Sound sound)
        => string.Create(CultureInfo.InvariantCulture, $"{sound.Duration.TotalSeconds:0.###} s at {sound.SampleRate} Hz");
}
