namespace SynthNotebook.Processing;

/// <summary>A source that failed while a stream played it, and why: told to its listener and to the server's owner.</summary>
public sealed record SourceFault(string PatchName, Exception Error)
{
    /// <summary>One line a user can act on: what failed, with what, and what happens now (no stack trace).</summary>
    public string Message => $"'{PatchName}' threw {Error.GetType().Name}: {Error.Message} — playing silence; set server.Source to play again.";
}
