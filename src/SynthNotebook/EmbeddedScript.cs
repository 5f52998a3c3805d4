namespace SynthNotebook;

/// <summary>JavaScript kept in real .js files and embedded in this assembly under a logical name.</summary>
internal static class EmbeddedScript
{
    public static string Read(string logicalName)
    {
        using var stream = typeof(EmbeddedScript).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"The embedded script {logicalName} is missing from the SynthNotebook assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
