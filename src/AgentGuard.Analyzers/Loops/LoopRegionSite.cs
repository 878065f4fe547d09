using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// A <c>while</c>, <c>do</c> or <c>for</c> loop, or a backward <c>goto</c>, that the loop rules judge (AG0001 and
/// AG0006 register the same operation kinds and share this): its region, where a diagnostic on it points, and the
/// <see cref="LoopDiagnosticProperties"/> kind its fix reads.
/// </summary>
internal sealed class LoopRegionSite
{
    private LoopRegionSite(LoopRegion region, Location location, string kind)
    {
        Region = region;
        Location = location;
        Kind = kind;
    }

    /// <summary>The operation kinds <see cref="For"/> understands.</summary>
    private static readonly OperationKind[] OperationKinds = { OperationKind.Loop, OperationKind.Branch };

    public LoopRegion Region { get; }

    /// <summary>The loop's keyword, or the <c>goto</c> keyword.</summary>
    public Location Location { get; }

    /// <summary><see cref="LoopDiagnosticProperties.KindLoop"/> or <see cref="LoopDiagnosticProperties.KindGotoLoop"/>.</summary>
    public string Kind { get; }

    public bool IsGotoLoop => Kind == LoopDiagnosticProperties.KindGotoLoop;

    /// <summary>
    /// Registers a loop rule's action on every loop and backward <c>goto</c>: each site's region is judged through the
    /// shared <paramref name="cache"/>, and <paramref name="report"/> runs for the sites whose facts <paramref name="isFlagged"/> accepts.
    /// </summary>
    public static void RegisterAction(
        CompilationStartAnalysisContext context,
        LoopAnalysisCache cache,
        Func<RegionFacts, bool> isFlagged,
        Action<OperationAnalysisContext, LoopRegionSite> report)
        => context.RegisterOperationAction(
            c =>
            {
                // A loop whose code cannot reach a model call, judged by name, needs no region and no analysis.
                if (c.Operation is ILoopOperation && !cache.Names.MayReachModelCall(c.Operation.Syntax))
                {
                    return;
                }

                var site = For(c.Operation);
                if (site is not null && isFlagged(LoopBoundAnalysis.Analyze(site.Region, cache)))
                {
                    report(c, site);
                }
            },
            OperationKinds);

    /// <summary>The site <paramref name="operation"/> forms, or <see langword="null"/> (a <c>foreach</c>, a forward jump, a <c>break</c>).</summary>
    public static LoopRegionSite? For(IOperation operation)
    {
        switch (operation)
        {
            case ILoopOperation loop when loop is not IForEachLoopOperation:
            {
                var region = LoopRegion.ForLoop(loop);
                return region is null ? null : new LoopRegionSite(region, LoopKeywordLocation(loop.Syntax), LoopDiagnosticProperties.KindLoop);
            }

            case IBranchOperation { BranchKind: BranchKind.GoTo } branch:
            {
                var region = LoopRegion.ForBackwardGoto(branch);
                if (region is null)
                {
                    return null;
                }

                var location = branch.Syntax is GotoStatementSyntax gotoStatement
                    ? gotoStatement.GotoKeyword.GetLocation()
                    : branch.Syntax.GetLocation();
                return new LoopRegionSite(region, location, LoopDiagnosticProperties.KindGotoLoop);
            }

            default:
                return null;
        }
    }

    /// <summary>The <c>while</c>, <c>do</c> or <c>for</c> keyword of a loop.</summary>
    public static Location LoopKeywordLocation(SyntaxNode syntax)
        => syntax switch
        {
            WhileStatementSyntax whileStatement => whileStatement.WhileKeyword.GetLocation(),
            DoStatementSyntax doStatement => doStatement.DoKeyword.GetLocation(),
            ForStatementSyntax forStatement => forStatement.ForKeyword.GetLocation(),
            CommonForEachStatementSyntax forEach => forEach.ForEachKeyword.GetLocation(),
            _ => syntax.GetLocation(),
        };
}
