using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SynthNotebook.Notebook;
using SynthNotebook.Notebook.Charts;

namespace SynthNotebook.Tests.Notebook;

/// <summary>The package as the README's pack command makes it, opened and checked.</summary>
public sealed class PackageTests
{
    [Fact]
    public void ThePackageCarriesTheLibraryAndAnExtensionCellThatCallsTheEntryPoint()
    {
        var output = Directory.CreateTempSubdirectory("synthnotebook-pack-").FullName;
        try
        {
            var project = Path.Combine(RepositoryFiles.Root, "src", "SynthNotebook", "SynthNotebook.csproj");
            var pack = Process.Start(new ProcessStartInfo("dotnet", ["pack", project, "--configuration", "Release", "--output", output, "--nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = pack.StandardOutput.ReadToEnd() + pack.StandardError.ReadToEnd();
            pack.WaitForExit();
            Assert.True(pack.ExitCode == 0, log);

            var package = Assert.Single(Directory.GetFiles(output, "SynthNotebook.*.nupkg"));
            using var zip = ZipFile.OpenRead(package);
            Assert.NotNull(zip.GetEntry("lib/net10.0/SynthNotebook.dll"));

            var dib = zip.GetEntry("interactive-extensions/dotnet/extension.dib");
            Assert.NotNull(dib);
            using var reader = new StreamReader(dib.Open());
            var cell = reader.ReadToEnd();
            Assert.StartsWith("#!csharp", cell);
            var call = Regex.Match(cell, @"SynthNotebook\.Notebook\.(\w+)\.(\w+)\(\);");
            Assert.True(call.Success, cell);
            var entryPoint = typeof(KernelExtension).Assembly.GetType($"SynthNotebook.Notebook.{call.Groups[1].Value}")
                ?.GetMethod(call.Groups[2].Value, Type.EmptyTypes);
            Assert.True(entryPoint is { IsPublic: true, IsStatic: true }, $"{call.Value} is not a public static method");

            var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var nuspecStream = nuspecEntry.Open();
            var dependencies = XDocument.Load(nuspecStream).Descendants().Where(e => e.Name.LocalName == "dependency")
                .Select(e => (string?)e.Attribute("id")).ToList();
            Assert.Contains("Microsoft.DotNet.Interactive.Formatting", dependencies);
            Assert.Contains("Plotly.NET", dependencies);
            Assert.DoesNotContain("Microsoft.DotNet.Interactive", dependencies);

            // The chart engine, complete: it draws from the package's own folder with its own FSharp.Core 10.1.
            var engineFolder = Path.Combine(output, "plotly-engine");
            foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("lib/net10.0/plotly-engine/", StringComparison.Ordinal)))
            {
                Directory.CreateDirectory(engineFolder);
                entry.ExtractToFile(Path.Combine(engineFolder, entry.Name));
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
            Directory.Delete(output, recursive: true);
        }
    }
}
