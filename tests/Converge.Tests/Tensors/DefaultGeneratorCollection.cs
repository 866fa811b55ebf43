namespace Converge.Tests.Tensors;

/// <summary>
/// Tests that seed and read <see cref="Converge.Tensors.Generator.Default"/>, the process-wide stream:
/// they run alone, so no parallel test draws from it between their seeding and their reads.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    /// <summary>The collection's name for <c>[Collection]</c>.</summary>
    public const string Name = "Generator.Default";
}
