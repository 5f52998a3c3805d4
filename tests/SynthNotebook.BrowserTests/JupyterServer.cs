using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SynthNotebook.Tests.Notebook.Jupyter;

namespace SynthNotebook.BrowserTests;

/// <summary>
/// Debian's classic Jupyter Notebook serving one folder on 127.0.0.1 (a free port), with the real .NET
/// kernel of <see cref="JupyterSetup"/>: the front end a user opens today.
/// </summary>
public sealed partial class JupyterServer : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly List<string> _log = [];

    private JupyterServer(Process process, string token)
    {
        _process = process;
        Token = token;
    }

    public string Token { get; }

    /// <summary>The server's address, e.g. http://127.0.0.1:PORT/.</summary>
    public Uri Url { get; private set; } = null!;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>The page of a notebook in the served folder, with the token.</summary>
    public Uri NotebookPage(string name) => new(Url, $"notebooks/{name}?token={Token}");

    public static async Task<JupyterServer> StartAsync(string folder)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        // Jupyter reports --port=0 as port 0: a port free now is asked for instead (Jupyter moves on from a taken one,
        // and the address it prints is the one it listens on).
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = JupyterSetup.StartInfo(JupyterSetup.Jupyter,
            ["notebook", "--no-browser", "--ip=127.0.0.1", $"--port={port}", $"--NotebookApp.token={token}", "--allow-root",
             $"--notebook-dir={folder}"], folder);
        var server = new JupyterServer(Process.Start(start)!, token);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            lock (server._log)
            {
                server._log.Add(e.Data);
            }
            if (ListeningAt().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
        server._process.OutputDataReceived += OnLine;
        server._process.ErrorDataReceived += OnLine;
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.Url = await listening.Task.WaitAsync(StartLimit);
        }
        catch (TimeoutException)
        {
            server.Dispose();
            throw new TimeoutException($"Jupyter did not start within {StartLimit}:\n{server.Log}");
        }
        return server;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"(http://127\.0\.0\.1:\d+/)")]
    private static partial Regex ListeningAt();
}
