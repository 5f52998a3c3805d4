using System.Reflection;
using System.Runtime.Loader;

namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// The load context of the Plotly engine: the engine, Plotly.NET and the FSharp.Core 10.1 they need all load from the
/// engine folder, even when the default context already holds another FSharp.Core (a kernel pins 10.0). Everything
/// else (the BCL) comes from the default context, so BCL types cross the boundary unchanged.
/// </summary>
internal sealed class PlotlyEngineContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PlotlyEngineContext(string engineAssemblyPath) : base("SynthNotebook.PlotlyEngine")
    {
        _resolver = new AssemblyDependencyResolver(engineAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }
}
