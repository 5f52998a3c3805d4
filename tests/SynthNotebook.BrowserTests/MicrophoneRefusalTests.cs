using SynthNotebook.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.BrowserTests;

/// <summary>A page that may not use the microphone, as a VS Code notebook webview (microsoft/vscode#119127).</summary>
[Collection(BrowserCollection.Name)]
public sealed class MicrophoneRefusalTests(BrowserFixture browser)
{
    private const string RefuseMicrophone = """
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        """;

    [Fact]
    public async Task WhereTheMicrophoneIsRefusedTheWidgetLinksToTheServersOwnPage()
    {
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        await using var page = await PlayerPage.OpenAsync(browser.Browser, [server.Microphone.Html()], RefuseMicrophone);

        await page.Player(0).Locator("button[data-action=play]").ClickAsync();
        var notice = page.Player(0).Locator(".snp-notice");
        await notice.WaitForAsync();

        Assert.Equal(server.DuplexPageUrl.ToString(), await notice.Locator("a").GetAttributeAsync("href"));
        Assert.Contains("NotAllowedError", (await page.StatsAsync()).Status);
        Assert.False((await page.StatsAsync()).Connected);

        // The linked page is served, with the widget in duplex mode.
        var linked = await page.Page.Context.APIRequest.GetAsync(server.DuplexPageUrl.ToString());
        Assert.Equal(200, linked.Status);
        Assert.Contains("\"mode\":\"duplex\"", await linked.TextAsync());
    }
}
