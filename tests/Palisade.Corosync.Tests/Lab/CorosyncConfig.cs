using System.Text;

namespace Palisade.Corosync.Tests.Lab;

/// <summary>
/// corosync.conf for an N-node knet cluster. corosync's parser wants each section header, key and closing brace
/// on its own line.
/// </summary>
internal static class CorosyncConfig
{
    public static string AddressOf(int nodeId) => $"198.18.0.{210 + nodeId}";

    public static string Render(string clusterName, int nodeCount)
    {
        var conf = new StringBuilder();
        conf.Append($$"""
            totem {
                version: 2
                cluster_name: {{clusterName}}
                transport: knet
                token: 1000
                crypto_cipher: none
                crypto_hash: none
            }

            nodelist {

            """);
        for (var nodeId = 1; nodeId <= nodeCount; nodeId++)
        {
            conf.Append($$"""
                    node {
                        ring0_addr: {{AddressOf(nodeId)}}
                        nodeid: {{nodeId}}
                        name: n{{nodeId}}
                    }

                """);
        }

        // Two nodes: two_node (which implies wait_for_all). Otherwise the nodelist gives expected_votes = N.
        var quorumOption = nodeCount == 2 ? "two_node: 1" : $"expected_votes: {nodeCount}";
        conf.Append($$"""
            }

            quorum {
                provider: corosync_votequorum
                {{quorumOption}}
            }

            logging {
                to_stderr: yes
                to_logfile: no
                to_syslog: no
                timestamp: on
            }

            """);
        return conf.ToString();
    }
}
