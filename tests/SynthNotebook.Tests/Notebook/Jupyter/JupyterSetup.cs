using System.Diagnostics;
using System.Text.Json;
using SynthNotebook.Tests.Notebook.Kernel;

namespace SynthNotebook.Tests.Notebook.Jupyter;

/// <summary>
/// A real Jupyter with the real .NET kernel, set up for the tests and kept apart from the user's own: Debian's Jupyter
/// (required, and said so when missing), the dotnet-interactive tool (installed here on first use, into artifacts/),
/// and a private Jupyter path whose .net-csharp kernelspec runs that tool. Notebooks run in a scratch folder whose
/// NuGet.config finds the freshly packed package, with servers on free ports (SYNTHNOTEBOOK_PORT=0).
/// </summary>
public static class JupyterSetup
{
    /// <summary>The kernel tool: the same build as the .NET Interactive packages the extension compiles against.</summary>
    public const string KernelToolVersion = "1.0.712001";

    public const string Jupyter = "/usr/bin/jupyter";

    private const string InstallHint =
        "the notebook tests need Debian's Jupyter: apt-get install jupyter-notebook jupyter-nbconvert jupyter-client python3-ipykernel";

    private static readonly Lazy<string> JupyterPath = new(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The dotnet-interactive executable the kernelspec runs.</summary>
    public static string KernelTool => Path.Combine(RepositoryFiles.Root, "artifacts", "tools", $"dotnet-interactive-{KernelToolVersion}", "dotnet-interactive");

    /// <summary>The environment a Jupyter process of the tests runs with.</summary>
    public static Dictionary<string, string> Environment() => EnvironmentFor(JupyterPath.Value);

    private static Dictionary<string, string> EnvironmentFor(string root) =>
        new()
        {
            ["JUPYTER_PATH"] = Path.Combine(root, "data"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(root, "config"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(root, "data"),
            ["IPYTHONDIR"] = Path.Combine(root, "ipython"),
            ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1",
            [global::SynthNotebook.Streaming.SynthServerOptions.PortVariable] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        };

    /// <summary>A scratch folder with a copy of <paramref name="notebook"/> and a NuGet.config that finds the fresh package.</summary>
    public static string NotebookFolder(string notebook)
    {
        var folder = Directory.CreateTempSubdirectory("synthnotebook-jupyter-").FullName;
        File.Copy(notebook, Path.Combine(folder, Path.GetFileName(notebook)));
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="synthnotebook-under-test" value="{PackedPackage.FeedFolder}" />
              </packageSources>
            </configuration>
            """);
        return folder;
    }

    /// <summary>Runs a program to its end (bounded) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit)
        => Run(file, arguments, workingDirectory, limit, Environment());

    /// <summary>How a process of the tests' Jupyter runs: in <paramref name="workingDirectory"/>, with its environment, its
    /// output (and, when asked, its input) redirected to the caller.</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string workingDirectory, bool input = false)
        => StartInfo(file, arguments, workingDirectory, input, Environment());

    private static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string workingDirectory, bool input,
        Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = input,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return start;
    }

    private static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit,
        Dictionary<string, string> environment)
    {
        using var process = Process.Start(StartInfo(file, arguments, workingDirectory, input: false, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran over {limit}:\n{stdout.Result}{stderr.Result}");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    private static string Prepare()
    {
        if (!File.Exists(Jupyter))
        {
            throw new InvalidOperationException($"{Jupyter} is missing: {InstallHint}.");
        }
        if (!File.Exists(KernelTool))
        {
            var (code, log) = Run("dotnet", ["tool", "install", "Microsoft.dotnet-interactive", "--version", KernelToolVersion,
                "--tool-path", Path.GetDirectoryName(KernelTool)!], RepositoryFiles.Root, TimeSpan.FromMinutes(5), []);
            if (code != 0 || !File.Exists(KernelTool))
            {
                throw new InvalidOperationException($"Could not install the kernel tool Microsoft.dotnet-interactive {KernelToolVersion}:\n{log}");
            }
        }
        var root = Directory.CreateTempSubdirectory("synthnotebook-jupyter-home-").FullName;
        var kernelspec = Path.Combine(root, "data", "kernels", ".net-csharp");
        Directory.CreateDirectory(kernelspec);
        Directory.CreateDirectory(Path.Combine(root, "config"));
        // As `dotnet-interactive jupyter install` writes it, with the tool's own path instead of `dotnet interactive`.
        File.WriteAllText(Path.Combine(kernelspec, "kernel.json"), JsonSerializer.Serialize(new
        {
            argv = new[] { KernelTool, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000" },
            display_name = ".NET (C#)",
            language = "C#",
        }));
        var (nbconvert, help) = Run(Jupyter, ["nbconvert", "--version"], root, TimeSpan.FromMinutes(1), EnvironmentFor(root));
        if (nbconvert != 0)
        {
            throw new InvalidOperationException($"jupyter nbconvert does not run ({help.Trim()}): {InstallHint}.");
        }
        return root;
    }
}
