using SynthNotebook.Player;

namespace SynthNotebook.Tests.Player;

public class ModuleBundleTests
{
    private static readonly Dictionary<string, string> Modules = new()
    {
        ["a.js"] = "import { B } from './b.js';\nimport './c.js';\nexport const A = () => B + 1;\n",
        ["b.js"] = "import { C } from './c.js';\nexport const B = C * 2;\nconst hidden = 1;\n",
        ["c.js"] = "export const C = 20;\nconst hidden = 2;\n",
    };

    [Fact]
    public void EachModuleRunsOnceAfterWhatItImportsAndKeepsItsOwnNames()
    {
        var script = ModuleBundle.Link("a.js", name => Modules[name]);

        var order = new[] { "c.js", "b.js", "a.js" }.Select(name => script.IndexOf($"synthModules['{name}'] = ", StringComparison.Ordinal)).ToArray();
        Assert.All(order, at => Assert.True(at >= 0));
        Assert.Equal(order.Order(), order);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(script, @"synthModules\['c\.js'\] = "));
        Assert.DoesNotContain("import ", script);
        Assert.DoesNotContain("export ", script);
    }

    [Fact]
    public async Task TheLinkedScriptRunsAndEveryModuleKeepsItsPrivateNamesToItself()
    {
        var script = ModuleBundle.Link("a.js", name => Modules[name]) + "\nconsole.log(synthModules['a.js'].A());\n";
        var file = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var (exitCode, output) = await PlayerModuleTests.NodeAsync(Path.GetTempPath(), file);

            Assert.True(exitCode == 0, output);
            Assert.Equal("41", output.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("import B from './b.js';")]
    [InlineData("import { B } from \"./b.js\";")]
    [InlineData("export default 1;")]
    [InlineData("export { B };")]
    [InlineData("export var B = 1;")]
    public void AFormTheBundleCannotLinkIsRefusedNamingTheModule(string line)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModuleBundle.Link("x.js", _ => line + "\n"));

        Assert.Contains("x.js", error.Message);
    }

    [Fact]
    public void ACycleIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModuleBundle.Link("a.js",
            name => name == "a.js" ? "import { B } from './b.js';\n" : "import { A } from './a.js';\n"));

        Assert.Contains("cycle", error.Message);
    }

    [Theory]
    [InlineData("Player")]
    [InlineData("Worklet")]
    [InlineData("Worker")]
    public async Task ThePlayersScriptsAreValidJavaScript(string which)
    {
        var script = which switch { "Player" => ClientScripts.Player, "Worklet" => ClientScripts.Worklet, _ => ClientScripts.Worker };
        var file = Path.Combine(Path.GetTempPath(), $"player-{which}-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var (exitCode, output) = await PlayerModuleTests.NodeAsync(Path.GetTempPath(), "--check", file);

            Assert.True(exitCode == 0, output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
