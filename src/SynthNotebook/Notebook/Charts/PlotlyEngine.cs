using System.Reflection;
using System.Runtime.Loader;

namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// SynthNotebook's way to Plotly.NET: the engine in the <c>plotly-engine</c> folder beside SynthNotebook.dll, loaded
/// once into its own <see cref="PlotlyEngineContext"/> and called through delegates of BCL types.
/// </summary>
internal static class PlotlyEngine
{
    public const string FolderName = "plotly-engine";
    private const string AssemblyName = "SynthNotebook.PlotlyEngine";
    private const string EntryTypeName = "SynthNotebook.PlotlyEngine.ChartEngine";

    private static readonly Lazy<Bindings> Engine = new(Bind);

    private sealed record Bindings(
        AssemblyLoadContext Context,
        Func<string> PlotlyJsSource,
        Func<string> PlotlyJsVersion,
        Func<string, string, string, bool, string[], double[][], float[][], string> LineFigureJson);

    public static AssemblyLoadContext Context => Engine.Value.Context;

    public static string PlotlyJsSource() => Engine.Value.PlotlyJsSource();

    public static string PlotlyJsVersion() => Engine.Value.PlotlyJsVersion();

    public static string LineFigureJson(
        string title, string xTitle, string yTitle, bool logarithmicX, string[] names, double[][] xs, float[][] ys) =>
        Engine.Value.LineFigureJson(title, xTitle, yTitle, logarithmicX, names, xs, ys);

    /// <summary>The engine folder: beside SynthNotebook.dll, in a package (lib/net10.0/) as in a build output.</summary>
    public static string Folder =>
        Path.Combine(Path.GetDirectoryName(typeof(PlotlyEngine).Assembly.Location) ?? AppContext.BaseDirectory, FolderName);

    private static Bindings Bind()
    {
        var assemblyPath = Path.Combine(Folder, AssemblyName + ".dll");
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"SynthNotebook's chart engine is missing: {assemblyPath} does not exist. It ships in the package under " +
                $"lib/net10.0/{FolderName}/ and is copied beside SynthNotebook.dll by a build; restore or rebuild the package.",
                assemblyPath);
        }
        var context = new PlotlyEngineContext(assemblyPath);
        var entry = context.LoadFromAssemblyPath(assemblyPath).GetType(EntryTypeName, throwOnError: true)!;
        T Method<T>(string name) where T : Delegate =>
            (entry.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
             ?? throw new MissingMethodException(EntryTypeName, name)).CreateDelegate<T>();
        return new Bindings(
            context,
            Method<Func<string>>("PlotlyJsSource"),
            Method<Func<string>>("PlotlyJsVersion"),
            Method<Func<string, string, string, bool, string[], double[][], float[][], string>>("LineFigureJson"));
    }
}
