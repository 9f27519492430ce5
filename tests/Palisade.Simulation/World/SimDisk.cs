namespace Palisade.Simulation.World;

/// <summary>A node's state directory: kept across palisaded restarts and power cycles, never cleared.</summary>
internal sealed class SimDisk(SimNode node) : Daemon.IStateDisk
{
    public string PathOf(string name) => $"/sim/{node.Name}/var/lib/palisade/{name}";

    public string? Read(string name) => node.Disk.GetValueOrDefault(name);

    public void Write(string name, string contents) => node.Disk[name] = contents;
}
