using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// Finds whole identifiers in a file's text without building its syntax and without copying the whole text into a
/// string: the text is read through a small reused buffer. The filters that keep the rules off code that cannot
/// concern them (no model-call name, no AgentGuard attribute in the file) stand on it.
/// </summary>
/// <remarks>
/// A match is a candidate only: it may sit in a comment, a string or a longer qualified name. Callers confirm it on
/// the syntax (or accept the over-approximation).
/// </remarks>
internal static class SourceTextSearch
{
    private const int ChunkSize = 16 * 1024;

    [ThreadStatic]
    private static char[]? buffer;

    /// <summary>Whether <paramref name="text"/> contains <paramref name="name"/> as a whole identifier.</summary>
    public static bool ContainsIdentifier(SourceText text, string name)
    {
        var found = false;
        Scan(text, name, position =>
        {
            found = true;
            return false;
        });
        return found;
    }

    /// <summary>Whether <paramref name="text"/> contains any of <paramref name="names"/> as a whole identifier.</summary>
    public static bool ContainsAnyIdentifier(SourceText text, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (ContainsIdentifier(text, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Calls <paramref name="onMatch"/> with the position of every whole-identifier occurrence of
    /// <paramref name="name"/>, in order, until it returns <see langword="false"/>.
    /// </summary>
    public static void Scan(SourceText text, string name, Func<int, bool> onMatch)
    {
        if (name.Length == 0 || text.Length < name.Length)
        {
            return;
        }

        var chars = buffer ??= new char[ChunkSize];
        var pattern = name.AsSpan();

        // Consecutive chunks overlap by name.Length characters: a match across a boundary is seen whole in the next
        // chunk, and the character on each side of a match is always inside the chunk or outside the text.
        var step = ChunkSize - name.Length - 1;
        for (var chunkStart = 0; chunkStart < text.Length; chunkStart += step)
        {
            var length = Math.Min(ChunkSize, text.Length - chunkStart);
            text.CopyTo(chunkStart, chars, 0, length);
            var chunk = new ReadOnlySpan<char>(chars, 0, length);

            // Report only matches that start inside this chunk's own part (before the overlap), so none is seen twice.
            var ownEnd = chunkStart + length >= text.Length ? length : step;
            var offset = 0;
            while (offset < ownEnd)
            {
                var index = chunk.Slice(offset).IndexOf(pattern, StringComparison.Ordinal);
                if (index < 0)
                {
                    break;
                }

                var at = offset + index;
                if (at >= ownEnd)
                {
                    break;
                }

                var end = at + name.Length;
                var startsWord = at > 0 ? !IsIdentifierChar(chunk[at - 1]) : chunkStart == 0 || !IsIdentifierChar(PrecedingChar(text, chunkStart));
                var endsWord = end < length ? !IsIdentifierChar(chunk[end]) : chunkStart + end >= text.Length;
                if (startsWord && endsWord && !onMatch(chunkStart + at))
                {
                    return;
                }

                offset = at + 1;
            }

            if (chunkStart + length >= text.Length)
            {
                return;
            }
        }
    }

    private static char PrecedingChar(SourceText text, int position) => text[position - 1];

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
