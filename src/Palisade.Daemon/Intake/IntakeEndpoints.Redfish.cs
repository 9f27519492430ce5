using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Palisade.Core.Configuration;

namespace Palisade.Daemon.Intake;

/// <summary><c>POST /v1/redfish/{node}</c>: a BMC pushes the events of the subscription palisaded made there.</summary>
internal sealed partial class IntakeEndpoints
{
    public async Task RedfishAsync(HttpContext context, string node)
    {
        if (await AuthoriseAsync(context, IntakeAction.Notify) is not { } sender || await ReadBytesAsync(context) is not { } bytes)
        {
            return;
        }

        var remote = context.Connection.RemoteIpAddress;
        var via = $"Redfish push from {remote} (sender {sender.Name})";
        if (requests.Redfish?.Invoke(node, bytes, via) is not { } handed)
        {
            await IntakeServer.Problem(context, 404, $"this node does not follow the BMC of '{node}' (sources.redfish_events)");
            return;
        }

        int taken;
        try
        {
            taken = await handed;
        }
        catch (JsonException e)
        {
            await IntakeServer.Problem(context, 400, $"the body is not a Redfish Event: {e.Message}");
            return;
        }

        await Ok(context, $"{taken} message(s) taken");
    }
}
