using Palisade.Core.Messages;
using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;

namespace Palisade.Simulation.Tests;

/// <summary>Every send of the real host happens in its own process's context on the simulator's thread.</summary>
public sealed class SimulatorThreadTests
{
    [Fact]
    public void Hosts_send_only_on_the_simulator_thread()
    {
        var world = BootedWorld();

        Assert.True(world.Deliveries > 20, $"only {world.Deliveries} deliveries");
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_send_from_another_thread_is_a_violation()
    {
        var world = BootedWorld();
        var link = world.Nodes[0].Process!.Link;
        var payload = MessageCodec.Encode(new NodeLeaving("test") { From = "n1", At = world.Now });

        var other = new Thread(() => link.Send(payload));
        other.Start();
        other.Join();

        Assert.Contains(world.Checks.Violations, v => v.Contains("not the simulator's thread", StringComparison.Ordinal));
    }

    [Fact]
    public void A_send_outside_the_process_context_is_a_violation()
    {
        var world = BootedWorld();
        var link = world.Nodes[1].Process!.Link;
        var payload = MessageCodec.Encode(new NodeLeaving("test") { From = "n2", At = world.Now });

        link.Send(payload);

        Assert.Contains(world.Checks.Violations, v => v.Contains("outside its own process's context", StringComparison.Ordinal));
    }

    private static SimWorld BootedWorld()
    {
        var world = new SimWorld(SimClusters.Get("three"), 5, keepTrace: false);
        foreach (var node in world.Nodes)
        {
            world.PowerOn(node);
        }

        world.Scheduler.RunUntil(SimWorld.Epoch + TimeSpan.FromSeconds(20));
        Assert.All(world.Nodes, n => Assert.True(n.DaemonRunning, $"{n.Name} has no palisaded"));
        return world;
    }
}
