namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// A line chart of signals, drawn with Plotly.NET. A notebook shows it as the chart (see <see cref="ChartHtml"/>);
/// <see cref="FigureJson"/> is the Plotly figure itself.
/// </summary>
public sealed class SignalChart
{
    private readonly Lazy<string> _figureJson;

    /// <summary>A chart of <paramref name="series"/>; every series pairs its x and y values one to one.</summary>
    public SignalChart(string title, string xTitle, string yTitle, IReadOnlyList<ChartSeries> series, bool logarithmicX = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            throw new ArgumentException("A chart needs at least one series.", nameof(series));
        }
        foreach (var line in series)
        {
            if (line.X.Length != line.Y.Length)
            {
                throw new ArgumentException(
                    $"Series '{line.Name}' has {line.X.Length} x values but {line.Y.Length} y values; they must pair up.", nameof(series));
            }
        }
        Title = title;
        XTitle = xTitle;
        YTitle = yTitle;
        Series = series;
        LogarithmicX = logarithmicX;
        _figureJson = new Lazy<string>(() => PlotlyEngine.LineFigureJson(
            Title, XTitle, YTitle, LogarithmicX,
            Series.Select(s => s.Name).ToArray(), Series.Select(s => s.X).ToArray(), Series.Select(s => s.Y).ToArray()));
    }

    /// <summary>The title above the chart.</summary>
    public string Title { get; }

    /// <summary>The x axis' title.</summary>
    public string XTitle { get; }

    /// <summary>The y axis' title.</summary>
    public string YTitle { get; }

    /// <summary>The lines, drawn in this order.</summary>
    public IReadOnlyList<ChartSeries> Series { get; }

    /// <summary>Whether the x axis is logarithmic (spectra).</summary>
    public bool LogarithmicX { get; }

    /// <summary>The Plotly figure, <c>{"data":[…],"layout":{…}}</c>, as Plotly.NET writes it.</summary>
    public string FigureJson => _figureJson.Value;

    /// <summary>The chart as an HTML fragment; with <paramref name="includePlotlyJs"/> it draws on a page without plotly.js.</summary>
    public string ToHtml(bool includePlotlyJs) => ChartHtml.Fragment(FigureJson, includePlotlyJs);

    /// <summary>The title and the series' sizes, for plain-text outputs.</summary>
    public override string ToString() => $"{Title}: {string.Join(", ", Series.Select(s => $"{s.Name} ({s.Y.Length} points)"))}";
}
