using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Tests.Notebook.Kernel;

namespace SynthNotebook.Tests.Notebook;

/// <summary>The package as the README's pack command makes it, opened and checked.</summary>
[Collection(KernelCollection.Name)]
public sealed class PackageTests
{
    [Fact]
    public void TheLibraryIsInLibAndTheExtensionAssemblyInInteractiveExtensionsWithNoExtensionScript()
    {
        using var zip = ZipFile.OpenRead(PackedPackage.PackageFile);
        var entries = zip.Entries.Select(e => e.FullName).ToList();

        Assert.Contains("lib/net10.0/SynthNotebook.dll", entries);
        Assert.Equal(["interactive-extensions/dotnet/SynthNotebook.Interactive.dll"], entries.Where(e => e.StartsWith("interactive-extensions/", StringComparison.Ordinal)));
        Assert.Equal(["lib/net10.0/SynthNotebook.dll"], entries.Where(e => e.StartsWith("lib/net10.0/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal) && e.Count(c => c == '/') == 2));
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void ThePackageDependsOnTheLibrarysPackagesAndNotOnTheKernel()
    {
        using var zip = ZipFile.OpenRead(PackedPackage.PackageFile);
        using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).Order().ToList();

        Assert.Equal(["MathNet.Numerics", "Plotly.NET"], dependencies);
        Assert.Equal("README.md", (string?)metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "readme"));
        Assert.Equal(PackedPackage.Version, (string?)metadata.Elements().Single(e => e.Name.LocalName == "version"));
    }

    [Fact]
    public void PackingWarnsOfNothing()
    {
        var warnings = PackedPackage.PackLog.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)
            && !l.Contains("NU1603", StringComparison.Ordinal)).ToList();

        Assert.Empty(warnings);
    }

    [Fact]
    public void TheChartEngineIsCompleteAndDrawsFromThePackagesOwnFolderWithItsOwnFSharpCore()
    {
        var engineFolder = Directory.CreateTempSubdirectory("synthnotebook-engine-").FullName;
        try
        {
            using (var zip = ZipFile.OpenRead(PackedPackage.PackageFile))
            {
                foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("lib/net10.0/plotly-engine/", StringComparison.Ordinal)))
                {
                    entry.ExtractToFile(Path.Combine(engineFolder, entry.Name));
                }
            }
            Assert.Equal(new Version(10, 1, 0, 0), AssemblyName.GetAssemblyName(Path.Combine(engineFolder, "FSharp.Core.dll")).Version);
            var engine = new PlotlyEngineContext(Path.Combine(engineFolder, "SynthNotebook.PlotlyEngine.dll"))
                .LoadFromAssemblyPath(Path.Combine(engineFolder, "SynthNotebook.PlotlyEngine.dll"))
                .GetType("SynthNotebook.PlotlyEngine.ChartEngine", throwOnError: true)!;
            var figure = (string)engine.GetMethod("LineFigureJson")!.Invoke(null,
                ["t", "x", "y", false, new[] { "s" }, new[] { new double[] { 0, 1 } }, new[] { new float[] { 0.25f, -0.5f } }])!;
            Assert.Contains("[0.25,-0.5]", figure);
        }
        finally
        {
            Directory.Delete(engineFolder, recursive: true);
        }
    }
}
