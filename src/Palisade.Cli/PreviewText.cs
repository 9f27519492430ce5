using System.Text;
using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary>A dry run's answer as text: the message, what the request changes, then the orders in turn and the waits.</summary>
internal static class PreviewText
{
    public static string Render(ControlResponse answer)
    {
        var text = new StringBuilder().AppendLine(answer.Message);
        if (answer.Preview is not { } preview)
        {
            return text.ToString();
        }

        foreach (var change in preview.Changes)
        {
            text.Append("  change: ").AppendLine(change);
        }

        for (var i = 0; i < preview.Steps.Length; i++)
        {
            text.Append("  ").Append(i + 1).Append(". ").AppendLine(preview.Steps[i].Text);
        }

        foreach (var wait in preview.Waiting)
        {
            text.Append("  waiting: ").AppendLine(wait);
        }

        return text.ToString();
    }
}
