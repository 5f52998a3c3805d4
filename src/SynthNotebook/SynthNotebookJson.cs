using System.Text.Json.Serialization;
using SynthNotebook.Streaming;

namespace SynthNotebook;

/// <summary>
/// The JSON SynthNotebook writes into pages, generated at compile time: file-based apps (<c>dotnet run app.cs</c>)
/// default to PublishAot, which turns reflection-based serialization off. The default encoder escapes &lt;, &gt; and
/// &amp;, so the JSON can sit inside a script element.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(PlayerConfig))]
internal sealed partial class SynthNotebookJson : JsonSerializerContext;
