using System.Text.RegularExpressions;
using SynthNotebook.Notebook;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

public class SoundTests
{
    [Fact]
    public void ARenderedSoundIsTheRenderedSamplesWithTheirRate()
    {
        var synth = new Synth();

        var sound = synth.Render(0.5, sampleRate: 48_000);

        Assert.Equal(48_000, sound.SampleRate);
        Assert.Equal(synth.RenderSeconds(0.5, 48_000), sound.Samples.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(0.5), sound.Duration);
        ReadOnlySpan<float> span = sound;
        Assert.Equal(24_000, span.Length);
    }

    [Fact]
    public void ASliceIsThatPartAndStopsAtTheEnd()
    {
        var sound = new Synth().Render(1, sampleRate: 8_000);

        var part = sound.Slice(TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(0.5));
        var tail = sound.Slice(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));

        Assert.Equal(sound.Samples.Span[2_000..6_000].ToArray(), part.Samples.ToArray());
        Assert.Equal(800, tail.Samples.Length);
    }

    [Fact]
    public void TheViewPlaysTheSoundLosslesslyFromADataUrl()
    {
        var sound = new Synth().Render(0.25, sampleRate: 44_100);

        var html = SoundView.Html(sound);

        var url = Regex.Match(html, "<audio[^>]* src=\"data:audio/wav;base64,([^\"]+)\"").Groups[1].Value;
        var (samples, sampleRate) = WavFile.Read(Convert.FromBase64String(url));   // mono float32, or it throws
        Assert.Equal(44_100, sampleRate);
        Assert.Equal(sound.Samples.ToArray(), samples);
        Assert.Contains("download=\"sound.wav\"", html);
        Assert.Contains("class=\"synthnotebook-chart\"", html);   // and its waveform
    }

    [Fact]
    public void ASoundTooLongForAnOutputShowsItsWaveformAndSaysWhatToDo()
    {
        var sound = new Synth().Render(30, sampleRate: 48_000);

        var html = SoundView.Html(sound);

        Assert.DoesNotContain("<audio", html);
        Assert.DoesNotContain("data:audio", html);
        Assert.Contains("This sound is 30 s; an output plays at most 21.8 s at 48000 Hz", html);
        Assert.Contains("sound.Slice(start, length)", html);
        Assert.Contains("class=\"synthnotebook-chart\"", html);
        Assert.True(html.Length < 2_000_000, $"{html.Length} characters");
    }

    [Fact]
    public void ABadRateIsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sound([0f], 10));

        Assert.Contains("sampleRate", error.Message);
    }
}
