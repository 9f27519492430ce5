using System.Globalization;

namespace Palisade.Agents.Monitors;

/// <summary>
/// One interface's link as the kernel reports it: <paramref name="OperState"/> is IFLA_OPERSTATE (RFC 2863),
/// <paramref name="Carrier"/> IFLA_CARRIER (IFF_LOWER_UP where the attribute is missing), <paramref name="AdminUp"/>
/// IFF_UP.
/// </summary>
internal sealed record LinkState(string Name, byte OperState, bool Carrier, bool AdminUp)
{
    public const byte OperUnknown = 0;
    public const byte OperUp = 6;

    /// <summary>
    /// Up means: administratively up, carrier on, and operstate UP, or UNKNOWN (a driver that does not track
    /// operstate reports UNKNOWN while working: lo, dummy and some virtual links).
    /// </summary>
    public bool IsUp => AdminUp && Carrier && (OperState is OperUp or OperUnknown);

    /// <summary>The operstate's name as <c>ip link</c> prints it, lowercase.</summary>
    public string OperStateName => OperState switch
    {
        0 => "unknown",
        1 => "notpresent",
        2 => "down",
        3 => "lowerlayerdown",
        4 => "testing",
        5 => "dormant",
        6 => "up",
        _ => OperState.ToString(CultureInfo.InvariantCulture),
    };

    public string Describe() =>
        !AdminUp ? $"{Name}: link down (administratively down)"
        : $"{Name}: link {(IsUp ? "up" : "down")} (operstate {OperStateName}, {(Carrier ? "carrier" : "no carrier")})";
}
