namespace Palisade.Signals;

/// <summary>The rule files this library ships (NIC, FC, multipath, disk I/O and hardware errors), next to its assembly.</summary>
public static class ShippedRules
{
    /// <summary>The <c>rules</c> directory beside the running program, where the build puts the shipped files.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "rules");

    /// <summary>Reads the shipped rule files.</summary>
    public static RuleSet Load() => RuleSet.LoadDirectory(Directory);
}
