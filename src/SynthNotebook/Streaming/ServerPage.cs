namespace SynthNotebook.Streaming;

/// <summary>
/// What the server's page (<see cref="SynthServer.PageUrl"/>) shows: a title, the player, and the HTML a program
/// appends while it runs (a studio's charts, cards and text). Open pages get each item as it comes; a page opened or
/// reloaded later gets them all. Thread-safe.
/// </summary>
public sealed class ServerPage
{
    /// <summary>The items a page keeps: a program that shows in a loop drops its oldest, not the machine's memory.</summary>
    public const int MaxItems = 500;

    private readonly object _gate = new();
    private readonly List<string> _items = [];
    private readonly Dictionary<string, Lazy<byte[]>> _scripts = [];
    private int _dropped;
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>The page's title and heading.</summary>
    public string Title { get; set; } = "SynthNotebook";

    /// <summary>Whether the page starts with the server's player (a studio shows what its program shows instead).</summary>
    public bool ShowsPlayer { get; set; } = true;

    /// <summary>Items appended so far (the dropped ones included).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _dropped + _items.Count;
            }
        }
    }

    /// <summary>Appends an HTML fragment (its scripts run on the page, as in a notebook output).</summary>
    public void Append(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        TaskCompletionSource appended;
        lock (_gate)
        {
            _items.Add(html);
            if (_items.Count > MaxItems)
            {
                _items.RemoveAt(0);
                _dropped++;
            }
            (appended, _appended) = (_appended, NewSignal());
        }
        appended.SetResult();
    }

    /// <summary>
    /// Puts a script in the page's head, served by the server at <paramref name="path"/> (public code, e.g. plotly.js,
    /// that the page's items use); made the first time a page asks for it.
    /// </summary>
    public void AddScript(string path, Func<string> source)
    {
        if (!path.StartsWith('/') || path.Contains('?') || path.Length < 2)
        {
            throw new ArgumentException($"A page script's path starts with '/' and has no query, not '{path}'.", nameof(path));
        }
        lock (_gate)
        {
            _scripts[path] = new Lazy<byte[]>(() => System.Text.Encoding.UTF8.GetBytes(source()));
        }
    }

    internal IReadOnlyList<string> ScriptPaths
    {
        get
        {
            lock (_gate)
            {
                return [.. _scripts.Keys];
            }
        }
    }

    internal byte[]? Script(string path)
    {
        Lazy<byte[]>? script;
        lock (_gate)
        {
            script = _scripts.GetValueOrDefault(path);
        }
        return script?.Value;
    }

    /// <summary>The items from number <paramref name="from"/> on (those still kept), and a task that ends at the next append.</summary>
    internal (int First, string[] Items, Task Appended) Since(int from)
    {
        lock (_gate)
        {
            var first = Math.Max(from, _dropped);
            return (first, [.. _items.Skip(first - _dropped)], _appended.Task);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
