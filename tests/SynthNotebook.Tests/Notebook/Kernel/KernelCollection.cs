namespace SynthNotebook.Tests.Notebook.Kernel;

/// <summary>
/// Tests that run the real kernel in this process: one at a time and after the parallel ones, because a kernel changes
/// process-wide state (formatters, the working folder, the servers it stops).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "Real kernel";
}
