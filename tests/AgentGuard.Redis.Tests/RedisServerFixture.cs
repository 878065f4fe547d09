using System.Net;
using System.Net.Sockets;
using Garnet;
using StackExchange.Redis;

namespace AgentGuard.Redis.Tests;

/// <summary>
/// The server the tests share: a Garnet server started in the process on a free loopback port, or, when the
/// <c>AGENTGUARD_REDIS</c> environment variable holds a StackExchange.Redis connection string, that server.
/// Tests keep apart by using scope kinds of their own.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    /// <summary>The environment variable naming a server to test against instead of Garnet.</summary>
    public const string ServerVariable = "AGENTGUARD_REDIS";

    private readonly List<ConnectionMultiplexer> connections = new();
    private readonly string configuration;
    private GarnetServer? garnet;

    public RedisServerFixture()
    {
        var external = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            configuration = external;
            ServerName = "Redis at " + external;
        }
        else
        {
            var port = FreePort();
            garnet = StartGarnet(port);
            configuration = "127.0.0.1:" + port;
            ServerName = "Garnet (in process)";
        }

        Connection = Connect();
    }

    /// <summary>Which server the tests run against.</summary>
    public string ServerName { get; }

    /// <summary>The connection the tests share.</summary>
    public ConnectionMultiplexer Connection { get; }

    /// <summary>Whether the server is the in-process Garnet one (which a test may stop).</summary>
    public bool IsGarnet => garnet is not null;

    /// <summary>A connection of its own, as another process would have.</summary>
    public ConnectionMultiplexer Connect()
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5_000;
        var connection = ConnectionMultiplexer.Connect(options);
        lock (connections)
        {
            connections.Add(connection);
        }

        return connection;
    }

    public void Dispose()
    {
        lock (connections)
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }

        garnet?.Dispose();
        garnet = null;
    }

    private static GarnetServer StartGarnet(int port)
    {
        var server = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lua", "--memory", "64m", "--index", "1m", "--logger-level", "Warning"]);
        server.Start();
        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Runs the test classes that share the server one after another, so they never compete for the two cores.</summary>
[CollectionDefinition(Name)]
public sealed class RedisServerCollection : ICollectionFixture<RedisServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Redis server";
}
