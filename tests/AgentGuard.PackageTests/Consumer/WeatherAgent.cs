using AgentGuard;

namespace Consumer;

public sealed record Forecast(string City, int HighCelsius, string Sky);

[Budget(MaxSteps = 5, MaxToolCalls = 6, MaxOutputTokensPerStep = 300, HardLimitUsd = 0.10)]
public partial class WeatherAgent(WeatherService weather)
{
    [AgentTool("Returns tomorrow's forecast for a city.", Cacheable = true)]
    public Forecast GetForecast(string city, int days = 1) => weather.Forecast(city, days);
}
