using System.Diagnostics;

namespace SynthNotebook.Studio;

/// <summary>This desktop's browser, where there is one: Windows and macOS always; Linux with a display and xdg-open.</summary>
internal static class DesktopBrowser
{
    public static bool Exists =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
        || (OperatingSystem.IsLinux() && HasDisplay && OnPath("xdg-open"));

    private static bool HasDisplay =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));

    /// <summary>Opens <paramref name="url"/>; a line saying why not when it cannot.</summary>
    public static string? Open(Uri url)
    {
        if (!Exists)
        {
            return "no desktop browser here: open the page yourself";
        }
        try
        {
            var start = OperatingSystem.IsWindows() ? new ProcessStartInfo(url.ToString()) { UseShellExecute = true }
                : new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open", [url.ToString()]);
            using var process = Process.Start(start);
            return null;
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"the browser did not start ({error.Message}): open the page yourself";
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
