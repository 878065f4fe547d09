namespace AgentGuard.Analyzers.Tests.Infrastructure;

/// <summary>Finds files of the repository the tests were built from.</summary>
public static class RepositoryFiles
{
    /// <summary>The folder that holds <c>AgentGuard.Analyzers.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of a repository-relative path.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentGuard.Analyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find AgentGuard.Analyzers.sln above " + AppContext.BaseDirectory);
    }
}
