namespace SynthNotebook.Synthesis;

/// <summary>One sine component of the bank: its frequency in Hz and its linear amplitude.</summary>
public readonly record struct ComponentParameters(double Frequency, double Amplitude);
