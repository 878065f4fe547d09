namespace AgentGuard.CodeFixes;

/// <summary>Names the code-fix assembly for tools and tests that enumerate its providers.</summary>
public static class CodeFixAssemblyMarker
{
}
