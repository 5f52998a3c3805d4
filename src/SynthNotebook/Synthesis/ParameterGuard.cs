using System.Runtime.CompilerServices;

namespace SynthNotebook.Synthesis;

/// <summary>Validation shared by every public entry point: one message naming the parameter, the value and the range.</summary>
internal static class ParameterGuard
{
    public static double InRange(double value, double min, double max, string unit = "",
        [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be a finite number in [{min}, {max}]{unit}; got {value}{unit}.");
        }
        return value;
    }

    public static int InRange(int value, int min, int max,
        [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}]; got {value}.");
        }
        return value;
    }
}
