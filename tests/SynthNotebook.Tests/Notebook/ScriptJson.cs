using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SynthNotebook.Tests.Notebook;

/// <summary>The JSON arguments our output scripts carry, read back out of the HTML a formatter wrote.</summary>
internal static class ScriptJson
{
    /// <summary>The one JSON value that starts right after each match of <paramref name="call"/> (a call's opening text).</summary>
    public static IReadOnlyList<JsonElement> ValuesAfter(string html, string call) =>
        Regex.Matches(html, call).Select(match =>
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(html[(match.Index + match.Length)..]));
            return JsonElement.ParseValue(ref reader);
        }).ToList();
}
