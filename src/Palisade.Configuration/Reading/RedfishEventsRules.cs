using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>
/// What <c>sources.redfish_events</c> needs from the rest of the file: pushed events arrive at the HTTPS intake, so
/// there must be one and the sender must be one of its senders; each followed node must have a Redfish BMC to follow.
/// </summary>
internal static class RedfishEventsRules
{
    private const string Field = "sources.redfish_events";

    public static void Check(RedfishEventsSource redfish, YamlMappingNode sources, IntakeConfig? intake, IReadOnlyList<NodeConfig> nodes, Diagnostics diagnostics)
    {
        var section = sources.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "redfish_events" });
        var at = section.Value ?? section.Key ?? sources;
        var settings = section.Value as YamlMappingNode;
        YamlNode Key(string name) => settings?.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && k.Value == name).Value ?? at;

        if (redfish.Delivery == RedfishDelivery.Push)
        {
            if (intake is null)
            {
                diagnostics.Report(at, Field, "delivery push needs the HTTPS intake (an intake: section): the BMCs post their events there; or use delivery: sse");
            }
            else if (redfish.Sender is null)
            {
                diagnostics.Report(at, $"{Field}.sender", $"delivery push needs a sender: the intake sender whose token the BMCs present (one of {string.Join(", ", intake.Senders.Select(s => s.Name))})");
            }
            else if (intake.Senders.FirstOrDefault(s => s.Name == redfish.Sender) is not { } sender)
            {
                diagnostics.Report(Key("sender"), $"{Field}.sender", $"'{redfish.Sender}' is not a sender of intake.senders ({string.Join(", ", intake.Senders.Select(s => s.Name))})");
            }
            else if (!sender.Actions.Contains(IntakeAction.Notify))
            {
                diagnostics.Report(Key("sender"), $"{Field}.sender", $"sender '{redfish.Sender}' may not send messages (its actions lack notify)");
            }
        }

        for (var i = 0; i < redfish.Nodes.Length; i++)
        {
            var name = redfish.Nodes[i];
            var node = nodes.FirstOrDefault(n => n.Name == name);
            var item = (Key("nodes") as YamlSequenceNode)?.Children.ElementAtOrDefault(i) ?? Key("nodes");
            if (node is null)
            {
                diagnostics.Report(item, $"{Field}.nodes[{i}]", $"'{name}' is not a node of this cluster");
            }
            else if (RedfishEventsSource.BmcOf(node) is null)
            {
                diagnostics.Report(item, $"{Field}.nodes[{i}]", $"node '{name}' has no redfish or irmc shutdown agent: its BMC cannot be followed");
            }
        }
    }
}
