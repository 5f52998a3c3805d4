using System.Diagnostics;

namespace SynthNotebook.Streaming;

/// <summary>
/// One thread that wakes paced connections when their next blocks are due. A wake-up runs the connection's writer on
/// this thread (its wake channel continues synchronously), so a paced block costs no thread-pool hop: on a laptop the
/// pool's workers spin after every burst, and that spinning was most of what a listener cost (benchmarks/README.md).
/// The thread starts with the first paced connection and sleeps without a timeout while none is waiting.
/// </summary>
internal sealed class SendClock
{
    public static readonly SendClock Shared = new();

    private readonly object _gate = new();
    private readonly PriorityQueue<Action, long> _waiting = new();
    private Thread? _thread;

    /// <summary>Calls <paramref name="wake"/> on the clock's thread at <paramref name="due"/> (Stopwatch ticks) or soon after.</summary>
    public void WakeAt(long due, Action wake)
    {
        lock (_gate)
        {
            _waiting.Enqueue(wake, due);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "SynthNotebook send clock" };
                _thread.Start();
            }
            else if (_waiting.TryPeek(out _, out var earliest) && earliest == due)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    private void Run()
    {
        var due = new List<Action>();
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    var now = Stopwatch.GetTimestamp();
                    while (_waiting.TryPeek(out var wake, out var at) && at <= now)
                    {
                        due.Add(wake);
                        _waiting.Dequeue();
                    }
                    if (due.Count > 0)
                    {
                        break;
                    }
                    if (!_waiting.TryPeek(out _, out var earliest))
                    {
                        Monitor.Wait(_gate);
                        continue;
                    }
                    // Whole milliseconds, rounded up: a wait rounded down to 0 would spin until the due time.
                    Monitor.Wait(_gate, (int)Math.Min(int.MaxValue, Math.Ceiling((earliest - now) * 1000.0 / Stopwatch.Frequency)));
                }
            }
            foreach (var wake in due)
            {
                try
                {
                    wake();
                }
                catch (Exception)
                {
                    // A writer's failure is its own session's to handle; the clock carries on for the others.
                }
            }
            due.Clear();
        }
    }
}
