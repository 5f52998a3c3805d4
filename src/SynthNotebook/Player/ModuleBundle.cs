using System.Text;
using System.Text.RegularExpressions;

namespace SynthNotebook.Player;

/// <summary>
/// Links the player's ES modules (Player/*.js, which Node's test runner imports as they are) into one classic script
/// for a page, a Worker or an AudioWorklet made from a string: a notebook output cannot import files, and a page with
/// a nonce CSP runs only its own inline script. Each module becomes a function scope that returns its exports, in
/// the order the imports give; a module runs once, after everything it imports.
/// The modules keep to a small form, checked here: <c>import { A, B } from './name.js';</c> or
/// <c>import './name.js';</c> at the top, and <c>export</c> before a top-level class, (async) function or const.
/// </summary>
internal static partial class ModuleBundle
{
    /// <summary>The script for <paramref name="entry"/> and everything it imports; <paramref name="read"/> gives a module's source.</summary>
    public static string Link(string entry, Func<string, string> read)
    {
        var order = new List<Module>();
        Visit(entry, read, order, [], []);
        var script = new StringBuilder("const synthModules = {};\n");
        foreach (var module in order)
        {
            script.Append($"synthModules['{module.Name}'] = (() => {{\n");
            foreach (var import in module.Imports.Where(i => i.Names.Length > 0))
            {
                script.Append($"const {{ {string.Join(", ", import.Names)} }} = synthModules['{import.From}'];\n");
            }
            script.Append(module.Body);
            script.Append($"\nreturn {{ {string.Join(", ", module.Exports)} }};\n}})();\n");
        }
        return script.ToString();
    }

    private static void Visit(string name, Func<string, string> read, List<Module> order, HashSet<string> done, HashSet<string> visiting)
    {
        if (done.Contains(name))
        {
            return;
        }
        if (!visiting.Add(name))
        {
            throw new InvalidOperationException($"The player's modules import each other in a cycle through {name}.");
        }
        var module = Parse(name, read(name));
        foreach (var import in module.Imports)
        {
            Visit(import.From, read, order, done, visiting);
        }
        visiting.Remove(name);
        done.Add(name);
        order.Add(module);
    }

    private static Module Parse(string name, string source)
    {
        var imports = new List<Import>();
        var body = new StringBuilder();
        var exports = new List<string>();
        foreach (var line in source.Split('\n'))
        {
            if (ImportLine().Match(line) is { Success: true } import)
            {
                var names = import.Groups["names"].Success
                    ? import.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    : [];
                imports.Add(new Import(import.Groups["from"].Value, names));
                continue;
            }
            var isExport = ExportLine().Match(line);
            if (line.StartsWith("import", StringComparison.Ordinal) || (line.StartsWith("export", StringComparison.Ordinal) && !isExport.Success))
            {
                throw new InvalidOperationException($"{name}: '{line.Trim()}' is not a form the player's bundle links (ModuleBundle).");
            }
            if (isExport.Success)
            {
                exports.Add(isExport.Groups["name"].Value);
                body.Append(line["export ".Length..]).Append('\n');
                continue;
            }
            body.Append(line).Append('\n');
        }
        return new Module(name, imports, body.ToString(), exports);
    }

    [GeneratedRegex(@"^import\s+(?:\{(?<names>[^}]*)\}\s+from\s+)?'\./(?<from>[\w-]+\.js)';\s*$")]
    private static partial Regex ImportLine();

    [GeneratedRegex(@"^export\s+(?:async\s+)?(?:class|function|const|let)\s+(?<name>[A-Za-z_$][\w$]*)")]
    private static partial Regex ExportLine();

    private sealed record Import(string From, string[] Names);

    private sealed record Module(string Name, List<Import> Imports, string Body, List<string> Exports);
}
