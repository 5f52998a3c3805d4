using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SynthNotebook.Notebook;

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
            var project = Path.Combine(RepositoryRoot(), "src", "SynthNotebook", "SynthNotebook.csproj");
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
            Assert.DoesNotContain("Microsoft.DotNet.Interactive", dependencies);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SynthNotebook.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No SynthNotebook.sln above {AppContext.BaseDirectory}.");
    }
}
