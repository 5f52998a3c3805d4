using SynthNotebook.Instruments;
using SynthNotebook.Notebook;
using SynthNotebook.Tests.Streaming;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Notebook;

/// <summary>A synth or an instrument shown in a notebook is the player of the newest running server that plays it.</summary>
public sealed class CardTests
{
    [Fact]
    public async Task ASynthAndAnInstrumentShowThePlayerOfTheServerStartedLastThatPlaysThem()
    {
        var synth = new Synth();
        var keys = new Instrument(name: "card keys");
        await using var first = await StreamTest.StartAsync(synth);
        // The newest, not the one on the highest port: one started after it on a lower port (the system picks ports).
        var second = await StreamTest.StartAsync(synth);
        for (var tries = 0; tries < 20 && second.Port > first.Port; tries++)
        {
            await second.StopAsync();
            second = await StreamTest.StartAsync(synth);
        }
        await using var _ = second;
        first.Source = keys;
        second.Source = keys;

        Assert.Contains(second.WebSocketUrl.ToString(), NotebookViews.Html(synth));
        Assert.Contains(second.WebSocketUrl.ToString(), NotebookViews.Html(keys));
        await second.StopAsync();
        Assert.Contains(first.WebSocketUrl.ToString(), NotebookViews.Html(synth));
        Assert.Contains(first.WebSocketUrl.ToString(), NotebookViews.Html(keys));
        await first.StopAsync();
        Assert.Contains("No server plays it yet", NotebookViews.Html(keys));
    }
}
