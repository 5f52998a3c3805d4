using System.Reactive.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace SynthNotebook.Tests.Notebook.Kernel;

/// <summary>
/// The real .NET Interactive C# kernel, in this process: a CompositeKernel holding a CSharpKernel with #r "nuget:",
/// the kernel helpers and value sharing, as the dotnet-interactive tool builds it. What #r does with a restored package
/// is the host's to say, and the tool's extension loader is in its own assembly, so this host does what the tool
/// does: reference the package's assemblies, and load the top-level dlls of its
/// interactive-extensions/dotnet/ into the default load context and call OnLoadAsync on each IKernelExtension (once
/// per assembly and kernel, as in a tool process, which has one kernel), within the #r cell's context.
/// </summary>
public sealed class RealKernel : IDisposable
{
    private readonly HashSet<string> _loadedExtensionAssemblies = [];
    private readonly CompositeKernel _kernel;
    private readonly List<KernelEvent> _events = [];
    private readonly IDisposable _subscription;

    private RealKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, packages) =>
            {
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return LoadExtensionsAsync(packages);
            })
            .UseKernelHelpers()
            .UseValueSharing();
        _kernel = new CompositeKernel { csharp };
        _kernel.DefaultKernelName = csharp.Name;
        // Some events raised while an extension runs are missing from a command's result: watch the kernel itself.
        _subscription = _kernel.KernelEvents.Subscribe(e =>
        {
            lock (_events)
            {
                _events.Add(e);
            }
        });
    }

    /// <summary>The root kernel, as an extension receives it.</summary>
    public CompositeKernel Kernel => _kernel;

    /// <summary>A kernel whose #r "nuget:" finds the freshly packed SynthNotebook.</summary>
    public static async Task<RealKernel> StartAsync()
    {
        var kernel = new RealKernel();
        var source = await kernel.RunAsync($"#i \"nuget: {PackedPackage.FeedFolder}\"");
        source.AssertSucceeded();
        return kernel;
    }

    /// <summary>Runs one cell and returns everything the kernel said while it ran.</summary>
    public async Task<CellRun> RunAsync(string code)
    {
        int first;
        lock (_events)
        {
            first = _events.Count;
        }
        var result = await _kernel.SendAsync(new SubmitCode(code));
        lock (_events)
        {
            return new CellRun(code, [.. _events.Skip(first).Concat(result.Events).Distinct()]);
        }
    }

    /// <summary>The value of a variable the cells declared.</summary>
    public T Value<T>(string name)
    {
        var csharp = (CSharpKernel)_kernel.ChildKernels.Single(k => k is CSharpKernel);
        return csharp.TryGetValue<T>(name, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"The kernel has no variable '{name}' of type {typeof(T).Name}.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _subscription.Dispose();
        _kernel.Dispose();
    }

    private async Task LoadExtensionsAsync(IReadOnlyList<ResolvedPackageReference> packages)
    {
        foreach (var package in packages)
        {
            var folder = Path.Combine(package.PackageRoot, "interactive-extensions", "dotnet");
            if (!Directory.Exists(folder))
            {
                continue;
            }
            foreach (var dll in Directory.GetFiles(folder, "*.dll", SearchOption.TopDirectoryOnly))
            {
                lock (_loadedExtensionAssemblies)
                {
                    if (!_loadedExtensionAssemblies.Add(AssemblyName.GetAssemblyName(dll).FullName))
                    {
                        continue;
                    }
                }
                var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
                foreach (var type in assembly.GetExportedTypes().Where(t =>
                             t is { IsAbstract: false, IsInterface: false } && typeof(IKernelExtension).IsAssignableFrom(t)
                             && t.GetConstructor(Type.EmptyTypes) is not null))
                {
                    await ((IKernelExtension)Activator.CreateInstance(type)!).OnLoadAsync(_kernel);
                }
            }
        }
    }
}

/// <summary>What one cell did: its events, in order.</summary>
public sealed record CellRun(string Code, IReadOnlyList<KernelEvent> Events)
{
    /// <summary>Every text/html value the cell displayed or returned, in order.</summary>
    public IReadOnlyList<string> Html => Values("text/html");

    /// <summary>Every text/plain value the cell displayed or returned, in order.</summary>
    public IReadOnlyList<string> Text => Values("text/plain");

    /// <summary>All the cell's HTML as one string.</summary>
    public string AllHtml => string.Concat(Html);

    /// <summary>The failure's message, or null when the cell succeeded.</summary>
    public string? Failure => Events.OfType<CommandFailed>().FirstOrDefault(f => f.Command is SubmitCode s && s.Code == Code)?.Message
        ?? Events.OfType<CommandFailed>().FirstOrDefault()?.Message;

    /// <summary>Throws with the cell and its failure when it failed.</summary>
    public CellRun AssertSucceeded()
    {
        if (Failure is { } failure)
        {
            throw new Xunit.Sdk.XunitException($"The cell failed: {failure}\n--- cell ---\n{Code}");
        }
        return this;
    }

    private IReadOnlyList<string> Values(string mimeType) =>
        [.. Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Where(v => v.MimeType == mimeType).Select(v => v.Value)];
}
