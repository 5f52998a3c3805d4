using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using SynthNotebook.Notebook;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Streaming;
using SynthNotebook.Studio;
using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Studio;

/// <summary>The studio page over HTTP: what a program shows reaches every page, in order, once, and stops with the server.</summary>
public sealed partial class StudioPageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task APageGetsEveryItemShownInOrderThenEachNewOneAsItIsShown()
    {
        var synth = new Synth();
        await using var studio = await SynthStudio.StartAsync(synth, "My <studio>", new SynthServerOptions { Port = 0 });
        studio.Show("# Sines");
        studio.Show("a < b & \"c\"\nsecond line");
        studio.Show(Plot.Waveform([0f, 0.5f, -0.5f]));

        using var http = new HttpClient();
        await using var feed = await Feed.OpenAsync(http, studio.Server);
        var first = await feed.ReadAsync(3);
        Assert.Equal([0, 1, 2], first.Select(e => e.Id));
        Assert.Equal("<h2 class=\"studio-heading\">Sines</h2>", first[0].Data);
        Assert.Equal("<p class=\"studio-text\">a &lt; b &amp; &quot;c&quot;\nsecond line</p>", first[1].Data);
        // The very HTML a notebook shows for the same value (one renderer, two hosts), apart from its fresh element id.
        Assert.Equal(WithoutIds(NotebookViews.Html(Plot.Waveform([0f, 0.5f, -0.5f]))!), WithoutIds(first[2].Data));

        studio.Show(synth);
        var next = Assert.Single(await feed.ReadAsync(1));
        Assert.Equal(3, next.Id);
        Assert.Contains("synth-notebook-player", next.Data);
        Assert.Equal(4, studio.Server.Page.Count);

        // The page itself: the title, escaped; no player of its own (a studio shows what its program shows).
        var page = await http.GetStringAsync(studio.Url);
        Assert.Contains("<title>My &lt;studio&gt;</title>", page);
        Assert.DoesNotContain("id=\"synth-player-", page);
        Assert.Contains("followPageFeed", page);
    }

    [Fact]
    public async Task AReconnectingPageGetsOnlyTheItemsAfterTheLastItSaw()
    {
        await using var studio = await SynthStudio.StartAsync(new Synth(), options: new SynthServerOptions { Port = 0 });
        for (var i = 0; i < 4; i++)
        {
            studio.Show($"item {i}");
        }
        using var http = new HttpClient();
        await using var feed = await Feed.OpenAsync(http, studio.Server, lastEventId: 1);

        var events = await feed.ReadAsync(2);

        Assert.Equal([2, 3], events.Select(e => e.Id));
        Assert.Equal("<p class=\"studio-text\">item 3</p>", events[1].Data);
    }

    [Fact]
    public async Task StoppingEndsAnOpenFeedAtOnce()
    {
        var studio = await SynthStudio.StartAsync(new Synth(), options: new SynthServerOptions { Port = 0 });
        studio.Show("one");
        using var http = new HttpClient();
        await using var feed = await Feed.OpenAsync(http, studio.Server);
        await feed.ReadAsync(1);

        await studio.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.True(await feed.EndedAsync().WaitAsync(Bound));
        Assert.True(studio.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task WithoutTheTokenThePageAndTheFeedAreRefusedTheIconAndPlotlyJsAreServed()
    {
        await using var studio = await SynthStudio.StartAsync(new Synth(), options: new SynthServerOptions { Port = 0 });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{studio.Server.Port}") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{ServerPageEndpoints.FeedPath}?token=wrong")).StatusCode);
        var icon = await http.GetAsync("/favicon.svg");
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", await icon.Content.ReadAsStringAsync());

        // The page's head loads plotly.js from the server itself, so its charts draw offline.
        var page = await http.GetStringAsync(studio.Url.PathAndQuery);
        var script = PlotlyScript().Match(page);
        Assert.True(script.Success, page[..Math.Min(page.Length, 2000)]);
        var plotly = await http.GetStringAsync(script.Groups[1].Value);
        Assert.Contains("plotly.js v", plotly[..1000]);
    }

    [Fact]
    public async Task APageAskedForByAnotherHostNameMayStillReachTheServersOwnSocket()
    {
        await using var studio = await SynthStudio.StartAsync(new Synth(), options: new SynthServerOptions { Port = 0 });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, studio.Url);
        request.Headers.Host = $"localhost:{studio.Server.Port}";

        using var response = await http.SendAsync(request);

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"connect-src ws://127.0.0.1:{studio.Server.Port} 'self';", policy);
        Assert.DoesNotContain("localhost", policy);
    }

    [Fact]
    public async Task APlainServersPageStartsWithItsPlayerAndAPageKeepsItsNewestItems()
    {
        await using var server = await SynthServer.StartAsync(new Synth(), new SynthServerOptions { Port = 0 });
        using var http = new HttpClient();
        Assert.Contains("id=\"synth-player-", await http.GetStringAsync(server.PageUrl));

        for (var i = 0; i <= ServerPage.MaxItems; i++)
        {
            server.Page.Append($"<p>{i}</p>");
        }
        await using var feed = await Feed.OpenAsync(http, server);
        var first = Assert.Single(await feed.ReadAsync(1));
        Assert.Equal(1, first.Id);
        Assert.Equal(ServerPage.MaxItems + 1, server.Page.Count);
    }

    private static string WithoutIds(string html) => ElementId().Replace(html, "synthnotebook-chart-ID");

    [GeneratedRegex("synthnotebook-chart-[0-9a-f]{32}")]
    private static partial Regex ElementId();

    [GeneratedRegex("<script nonce=\"[^\"]+\" src=\"(/plotly-[^\"]+\\.min\\.js)\"></script>")]
    private static partial Regex PlotlyScript();

    /// <summary>The page's event stream as a browser's EventSource reads it.</summary>
    private sealed class Feed : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private Feed(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

        public static async Task<Feed> OpenAsync(HttpClient http, SynthServer server, int? lastEventId = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}{ServerPageEndpoints.FeedPath}?token={server.Token.Value}");
            if (lastEventId is { } id)
            {
                request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new Feed(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
        }

        public async Task<List<(int Id, string Event, string Data)>> ReadAsync(int count)
        {
            var events = new List<(int, string, string)>();
            while (events.Count < count)
            {
                events.Add(await ReadEventAsync().WaitAsync(Bound) ?? throw new InvalidOperationException("The feed ended."));
            }
            Assert.All(events, e => Assert.Equal("item", e.Item2));
            return events;
        }

        public async Task<bool> EndedAsync() => await ReadEventAsync() is null;

        private async Task<(int, string, string)?> ReadEventAsync()
        {
            int? id = null;
            string? name = null;
            var data = new List<string>();
            while (await _reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0)
                {
                    return (id!.Value, name!, string.Join('\n', data));
                }
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = (line[..colon], line[(colon + 1)..]);
                value = value.StartsWith(' ') ? value[1..] : value;   // the one space after the colon, as EventSource strips it
                switch (field)
                {
                    case "id": id = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                    case "event": name = value; break;
                    case "data": data.Add(value); break;
                }
            }
            return null;
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
