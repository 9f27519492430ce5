using System.Text.Json;
using Palisade.Lab;

namespace Palisade.Integration.Tests.Lab;

/// <summary>What curl got from a Redfish BMC: its exit code (60: certificate not verified), the HTTP status and body.</summary>
internal sealed record RedfishReply(int CurlExit, int Status, string Body, string Stderr)
{
    public string? PowerState =>
        Status == 200 && JsonDocument.Parse(Body).RootElement.TryGetProperty("PowerState", out var state) ? state.GetString() : null;

    public override string ToString() => $"curl exit {CurlExit}, HTTP {Status}: {Body} {Stderr}".Trim();
}

/// <summary>
/// curl inside a lab node, as an agent on that node would call a BMC: the password is read on the node from
/// /etc/palisade/bmc.pass and handed to curl as a config file on stdin, never on a command line.
/// </summary>
internal static class RedfishClient
{
    public const string ResetPath = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";

    private const string Script = """
        mode=$1; shift
        case $mode in
          right) pass=$(cat /etc/palisade/bmc.pass) ;;
          *) pass=not-the-password ;;
        esac
        printf 'user = "admin:%s"\n' "$pass" | /usr/bin/curl --silent --show-error --max-time 5 --config - --write-out '\n%{http_code}' "$@"
        """;

    public static Task<RedfishReply> GetAsync(LabController lab, string fromNode, string bmc, string path, CancellationToken ct, bool rightPassword = true, bool verify = true) =>
        CurlAsync(lab, fromNode, rightPassword, verify, ["https://" + bmc + path], ct);

    public static Task<RedfishReply> ResetAsync(LabController lab, string fromNode, string bmc, string resetType, CancellationToken ct) =>
        CurlAsync(lab, fromNode, rightPassword: true, verify: true,
            ["--request", "POST", "--header", "Content-Type: application/json", "--data", $$"""{"ResetType":"{{resetType}}"}""", "https://" + bmc + ResetPath],
            ct);

    private static async Task<RedfishReply> CurlAsync(
        LabController lab, string fromNode, bool rightPassword, bool verify, IReadOnlyList<string> curlArgs, CancellationToken ct)
    {
        string[] trust = verify ? ["--cacert", LabBmcAccess.CaFileOnNode] : [];
        var result = await lab.ExecCaptureAsync(fromNode,
            ["/bin/sh", "-c", Script, "sh", rightPassword ? "right" : "wrong", .. trust, .. curlArgs], TimeSpan.FromSeconds(15), ct);
        var split = result.Stdout.LastIndexOf('\n');
        var status = split >= 0 && int.TryParse(result.Stdout[(split + 1)..], out var code) ? code : -1;
        return new RedfishReply(result.ExitCode, status, split >= 0 ? result.Stdout[..split] : result.Stdout, result.Stderr.Trim());
    }
}
