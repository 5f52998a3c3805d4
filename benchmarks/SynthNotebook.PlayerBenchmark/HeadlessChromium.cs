using Microsoft.Playwright;

/// <summary>Debian's Chromium, headless, with the flags the tests use (DEVELOPERS.md), plus any a run needs.</summary>
internal static class HeadlessChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--autoplay-policy=no-user-gesture-required", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", .. extraArgs,
            ],
        });
}
