namespace SynthNotebook.Streaming;

/// <summary>
/// Which browser pages may open a socket. Patterns are <c>scheme://host[:port]</c> where host or port may be <c>*</c>.
/// A request without an Origin header (a program, not a page) passes: the token is the real guard; the Origin check
/// stops other web sites from driving the server through a visitor's browser.
/// </summary>
public sealed class OriginPolicy
{
    /// <summary>VS Code notebook webviews, and Jupyter or the server's own page on this machine.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedOrigins =
    [
        "vscode-webview://*",
        "http://localhost:*",
        "https://localhost:*",
        "http://127.0.0.1:*",
        "https://127.0.0.1:*",
        "http://[::1]:*",
        "https://[::1]:*",
    ];

    private readonly (string Scheme, string Host, string Port)[] _patterns;

    /// <summary>Builds a policy from patterns; a malformed pattern is refused with the reason.</summary>
    public OriginPolicy(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = patterns.Select(Parse).ToArray();
    }

    /// <summary>True when the page at <paramref name="origin"/> may connect; null or empty means not a browser.</summary>
    public bool Allows(string? origin)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }
        if (!TrySplit(origin, out var scheme, out var host, out var port))
        {
            return false;
        }
        foreach (var pattern in _patterns)
        {
            if (Matches(pattern.Scheme, scheme) && Matches(pattern.Host, host) && Matches(pattern.Port, port))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(string pattern, string value)
        => pattern == "*" || string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);

    private static (string, string, string) Parse(string pattern)
    {
        if (!TrySplit(pattern, out var scheme, out var host, out var port) || scheme == "*")
        {
            throw new ArgumentException(
                $"Origin pattern '{pattern}' is not of the form scheme://host[:port] (host or port may be *).", nameof(pattern));
        }
        return (scheme, host, port);
    }

    private static bool IsPortNumber(string port) =>
        port.Length <= 5 && port.All(char.IsAsciiDigit) && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) <= 65_535;

    /// <summary>Splits an origin; a missing port is the empty string, which only <c>*</c> or an empty pattern port matches.</summary>
    private static bool TrySplit(string origin, out string scheme, out string host, out string port)
    {
        scheme = host = port = "";
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return false;
        }
        scheme = origin[..separator];
        var authority = origin[(separator + 3)..].TrimEnd('/');
        // An origin has no user part (a browser never sends one; "localhost:1@evil.example" is evil.example's).
        if (authority.Length == 0 || authority.Contains('/') || authority.Contains('@'))
        {
            return false;
        }
        var portSeparator = authority.LastIndexOf(':');
        if (portSeparator > authority.LastIndexOf(']'))
        {
            host = authority[..portSeparator];
            port = authority[(portSeparator + 1)..];
        }
        else
        {
            host = authority;
        }
        return host.Length > 0 && (port is "" or "*" || IsPortNumber(port));
    }
}
