using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentGuard.CodeFixes.Prompts;

/// <summary>Trivia helpers for the AG0003 fixes.</summary>
internal static class PromptFixTrivia
{
    /// <summary>The text of the first end-of-line in <paramref name="trivia"/>, or <c>\n</c>.</summary>
    public static string FirstOrDefaultEndOfLine(this IEnumerable<SyntaxTrivia> trivia)
    {
        foreach (var item in trivia)
        {
            if (item.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return item.ToString();
            }
        }

        return "\n";
    }
}
