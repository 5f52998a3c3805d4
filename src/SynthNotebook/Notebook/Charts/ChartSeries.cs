namespace SynthNotebook.Notebook.Charts;

/// <summary>One line of a chart: <paramref name="Y"/>[i] drawn at <paramref name="X"/>[i].</summary>
public sealed record ChartSeries(string Name, double[] X, float[] Y);
