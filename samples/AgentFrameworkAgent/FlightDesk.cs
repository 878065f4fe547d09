using System;
using System.Collections.Generic;
using System.ComponentModel;
using AgentGuard;

namespace AgentFrameworkAgent;

/// <summary>A flight the desk found.</summary>
public sealed record Flight(string Number, string From, string To, string Departs, decimal FareEur);

/// <summary>
/// A generated agent: its [Budget] is its loop. Exposed to the framework with <c>AsAIAgent</c>, it runs as a tool of
/// the planner and draws from the planner's budget.
/// </summary>
[Budget(MaxSteps = 4, MaxToolCalls = 6, MaxOutputTokensPerStep = 300, HardLimitUsd = 0.02)]
public sealed partial class FlightDesk
{
    private static readonly Flight[] Timetable =
    [
        new("TP 532", "LIS", "BER", "07:05", 189m),
        new("LH 1169", "LIS", "BER", "11:40", 214m),
        new("FR 1882", "LIS", "BER", "16:20", 96m),
    ];

    /// <summary>Searches the timetable. A pure read: safe to cache for the run.</summary>
    [AgentTool("Searches flights between two airports (IATA codes) on a date (yyyy-MM-dd).", Name = "search_flights", Cacheable = true)]
    public IReadOnlyList<Flight> SearchFlights([Description("IATA code, e.g. LIS")] string from, [Description("IATA code, e.g. BER")] string to, string date)
    {
        var found = new List<Flight>();
        foreach (var flight in Timetable)
        {
            if (string.Equals(flight.From, from, StringComparison.OrdinalIgnoreCase) && string.Equals(flight.To, to, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(flight);
            }
        }

        return found;
    }
}
