using System.Net;

namespace Palisade.Agents;

/// <summary>What the echo requests to one address gave.</summary>
internal sealed class EchoTally(IPAddress address)
{
    public IPAddress Address { get; } = address;

    public int Sent { get; set; }

    public int Answered { get; set; }

    /// <summary>The quickest reply, for the test reason.</summary>
    public TimeSpan? FastestReply { get; set; }

    /// <summary>Why an echo could not even be sent (no route, no permission), or null.</summary>
    public string? Error { get; set; }
}
