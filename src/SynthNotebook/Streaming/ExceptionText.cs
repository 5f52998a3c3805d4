namespace SynthNotebook.Streaming;

/// <summary>An exception's message as a user should read it (in a close reason or an error reply).</summary>
internal static class ExceptionText
{
    /// <summary>The message without the " (Parameter 'x')" that ArgumentException appends.</summary>
    public static string WithoutParameterName(string message)
    {
        var end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
