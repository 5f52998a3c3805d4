using Microsoft.Playwright;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// A headless Chromium whose microphone is a WAV file the fixture writes: <see cref="Signal"/>, looped. Its two tones
/// are whole cycles over the file, so the loop has no seam.
/// </summary>
public sealed class MicrophoneBrowserFixture : IAsyncLifetime
{
    public const int SampleRate = 48_000;
    public const double Amplitude = 0.25;
    public const double LowHz = 440;
    public const double HighHz = 5_000;

    private IPlaywright? _playwright;
    private string _folder = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>What the fake microphone says, one loop of it (10 s).</summary>
    public static float[] Signal { get; } = Enumerable.Range(0, 10 * SampleRate)
        .Select(i => (float)(Amplitude * Math.Sin(2 * Math.PI * LowHz * i / SampleRate) + Amplitude * Math.Sin(2 * Math.PI * HighHz * i / SampleRate)))
        .ToArray();

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("synthnotebook-mic-").FullName;
        var wav = Path.Combine(_folder, "microphone.wav");
        PcmWav.Write(wav, Signal, SampleRate);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = [.. BrowserFixture.Flags,
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-audio-capture={wav}"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MicrophoneBrowserCollection : ICollectionFixture<MicrophoneBrowserFixture>
{
    public const string Name = "Browser with a fake microphone";
}
