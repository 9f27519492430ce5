using System.Collections.Immutable;
using System.Text;
using Palisade.Configuration.Reading;
using Palisade.Core.Configuration;

namespace Palisade.Configuration;

public static partial class ConfigYamlWriter
{
    private static readonly string[] KindNames = ["nodes", "fencing", "resources", "attributes"];

    private static void WriteAlerts(StringBuilder yaml, ImmutableArray<AlertConfig> alerts)
    {
        yaml.Append("alerts:\n");
        foreach (var alert in alerts)
        {
            Indent(yaml, 2).Append("- name: ").Append(Writing.YamlText.Scalar(alert.Name)).Append('\n');
            Key(yaml, 4, "type", alert.Type == AlertType.Agent ? "agent" : "webhook");
            if (alert.Type == AlertType.Agent)
            {
                Key(yaml, 4, "path", alert.Path!);
                if (!alert.Recipients.IsDefaultOrEmpty)
                {
                    FlowList(yaml, 4, "recipients", alert.Recipients);
                }

                Key(yaml, 4, "timestamp_format", alert.TimestampFormat);
            }
            else
            {
                Key(yaml, 4, "url", alert.Url!.OriginalString);
                if (alert.TokenFile is { } tokenFile)
                {
                    Key(yaml, 4, "token_file", tokenFile);
                }

                if (alert.Ca is { } ca)
                {
                    Key(yaml, 4, "ca", ca);
                }
            }

            FlowList(yaml, 4, "select", alert.Kinds.Select(k => KindNames[(int)k]));
            Key(yaml, 4, "timeout", Formats.FormatDuration(alert.Timeout));
        }
    }
}
