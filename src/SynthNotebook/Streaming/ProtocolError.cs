namespace SynthNotebook.Streaming;

/// <summary>An error answered with a JSON error message; the connection stays open.</summary>
/// <param name="Code">A stable, machine-readable code (docs/protocol.md lists them).</param>
/// <param name="Message">What is wrong and what would be accepted, for the person reading the console.</param>
internal readonly record struct ProtocolError(string Code, string Message)
{
    public const string InvalidJson = "invalid-json";
    public const string UnknownOp = "unknown-op";
    public const string InvalidValue = "invalid-value";
    public const string TooManyCredits = "too-many-credits";
    public const string UnexpectedHello = "unexpected-hello";
    public const string NotInThisMode = "not-in-this-mode";
    public const string NoInstrument = "no-instrument";
}
