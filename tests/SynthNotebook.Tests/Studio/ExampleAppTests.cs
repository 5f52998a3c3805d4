using System.Globalization;
using SynthNotebook.Tests.Notebook.Kernel;
using SynthNotebook.Tests.Streaming;

namespace SynthNotebook.Tests.Studio;

/// <summary>
/// The examples as their users run them, <c>dotnet run examples/name.cs</c>, against the package as packed: no
/// notebook, no project. (The browser tests open examples/synth.cs's page and play it.)
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ExampleAppTests
{
    [Fact]
    public void EveryExampleNamesThePackageVersionThisRepositoryBuilds()
    {
        var examples = Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "examples"), "*.cs");

        Assert.Equal(["instrument.cs", "microphone.cs", "synth.cs"], examples.Select(Path.GetFileName).Order());
        Assert.All(examples, file => Assert.StartsWith($"#:package SynthNotebook@{PackedPackage.Version}\n", File.ReadAllText(file)));
    }

    [Fact]
    public async Task TheMicrophoneExampleServesItsStudioReactsToItsFirstListenerAndStopsCleanlyOnSigterm()
    {
        using var app = StudioProcess.Example("microphone", "--port", "0");
        var page = await app.PageAsync();

        using var http = new HttpClient();
        var html = await http.GetStringAsync(page);
        Assert.Contains("<title>Microphone</title>", html);
        // What it shows before anyone listens: its heading, its words and the microphone player, in that order.
        var feed = await ReadFeedUntilAsync(http, page, "\"mode\":\"duplex\"");
        var heading = feed.IndexOf("Microphone → C# → speakers", StringComparison.Ordinal);
        Assert.InRange(heading, 0, feed.IndexOf("synth-notebook-player", StringComparison.Ordinal));

        await using (var listener = await StreamClient.ListenAtAsync(page))
        {
            app.Signal("TERM");
            await listener.AssertServerStoppedAsync();
        }
        Assert.Equal(0, await app.ExitCodeAsync());
        Assert.Contains("Stopped on SIGTERM after", app.Output);
        Assert.Empty(app.ErrorLines);
        Ports.AssertFree(page.Port);
    }

    [Fact]
    public async Task AnExamplesBadArgumentIsOneLineAndExitsTwo()
    {
        using var app = StudioProcess.Example("synth", "--port", "abc");

        Assert.Equal(2, await app.ExitCodeAsync());
        Assert.Equal(["synth: --port wants a number from 0 to 65535, not 'abc'."], app.ErrorLines);
    }

    private static async Task<string> ReadFeedUntilAsync(HttpClient http, Uri page, string text)
    {
        var url = $"http://{page.Authority}/page-feed{page.Query}";
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new System.Text.StringBuilder();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            seen.Append(await reader.ReadLineAsync(limit.Token) ?? throw new InvalidOperationException($"The feed ended:\n{seen}")).Append('\n');
        }
        return seen.ToString();
    }
}
