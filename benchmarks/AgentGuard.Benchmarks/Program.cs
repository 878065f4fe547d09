using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project benchmarks/AgentGuard.Benchmarks -- --filter '*'
// One class: ... -- --filter '*ToolDispatch*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
