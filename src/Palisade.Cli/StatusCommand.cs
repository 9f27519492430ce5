using System.CommandLine;
using System.Text.Json;
using Palisade.Cli.Parsing;
using Palisade.Core.Control;
using Palisade.Core.Status;

namespace Palisade.Cli;

internal static class StatusCommand
{
    public const string Summary = "cluster, nodes, groups and resources (this node marked *)";

    public static Command Declare()
    {
        var output = CommonOptions.Output();
        var command = new Command("status", Summary) { output };
        command.SetAction(r => RunAsync(r.GetValue(output)!, r.InvocationConfiguration.Output));
        return command;
    }

    public static async Task<int> RunAsync(string output, TextWriter stdout)
    {
        var response = await ControlClient.SendAsync(new ControlRequest("status"), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (!response.Ok || response.Status is null)
        {
            throw new IOException(response.Error ?? "palisaded returned no status");
        }

        await stdout.WriteAsync(output == "json"
            ? JsonSerializer.Serialize(response.Status, JsonOutput.Options) + "\n"
            : StatusText.Render(response.Status)).ConfigureAwait(false);
        return 0;
    }
}

internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
