using System.Buffers;
using System.Text;
using System.Text.Json;
using Palisade.Corosync;

namespace Palisade.Corosync.Probe;

/// <summary>Writes one JSON object per line to stdout and flushes each, so a parent process sees it at once.</summary>
internal sealed class JsonLineWriter(Stream stdout)
{
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public void Ready(uint nodeId, bool quorate) => Write("ready", w =>
    {
        w.WriteNumber("nodeId", nodeId);
        w.WriteBoolean("quorate", quorate);
    });

    public void Error(string command, string message, int code) => Write("error", w =>
    {
        w.WriteString("command", command);
        w.WriteString("message", message);
        w.WriteNumber("code", code);
    });

    public void BurstDone(int count) => Write("burst-done", w => w.WriteNumber("count", count));

    public void Votequorum(VotequorumInfo info) => Write("votequorum", w =>
    {
        w.WriteNumber("nodeId", info.NodeId);
        w.WriteNumber("expectedVotes", info.ExpectedVotes);
        w.WriteNumber("totalVotes", info.TotalVotes);
        w.WriteNumber("quorum", info.Quorum);
        w.WriteBoolean("quorate", info.Quorate);
        w.WriteBoolean("twoNode", info.TwoNode);
        w.WriteBoolean("waitForAll", info.WaitForAll);
        w.WriteNumber("rawFlags", info.RawFlags);
    });

    public void Event(CorosyncEvent corosyncEvent)
    {
        switch (corosyncEvent)
        {
            case CpgMessage m:
                Write("message", w =>
                {
                    w.WriteNumber("nodeId", m.NodeId);
                    w.WriteNumber("pid", m.Pid);
                    w.WriteString("text", Encoding.UTF8.GetString(m.Payload));
                });
                break;
            case CpgMembershipChanged c:
                Write("cpg", w =>
                {
                    WriteMembers(w, "members", c.Members);
                    WriteMembers(w, "left", c.Left);
                    WriteMembers(w, "joined", c.Joined);
                });
                break;
            case TotemMembershipChanged t:
                Write("totem", w =>
                {
                    w.WriteNumber("ringSeq", t.RingSeq);
                    WriteNodeIds(w, t.Members);
                });
                break;
            case QuorumChanged q:
                Write("quorum", w =>
                {
                    w.WriteBoolean("quorate", q.Quorate);
                    WriteNodeIds(w, q.Members);
                });
                break;
            case CorosyncLost l:
                Write("lost", w => w.WriteString("reason", l.Reason));
                break;
            default:
                Write("unknown", w => w.WriteString("type", corosyncEvent.GetType().Name));
                break;
        }
    }

    private static void WriteMembers(Utf8JsonWriter w, string name, IReadOnlyList<CpgMember> members)
    {
        w.WriteStartArray(name);
        foreach (var member in members)
        {
            w.WriteStartObject();
            w.WriteNumber("nodeId", member.NodeId);
            w.WriteNumber("pid", member.Pid);
            w.WriteString("reason", member.Reason.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteNodeIds(Utf8JsonWriter w, IReadOnlyList<uint> nodeIds)
    {
        w.WriteStartArray("members");
        foreach (var nodeId in nodeIds)
        {
            w.WriteNumberValue(nodeId);
        }

        w.WriteEndArray();
    }

    private void Write(string eventName, Action<Utf8JsonWriter> body)
    {
        lock (_lock)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("event", eventName);
                body(writer);
                writer.WriteEndObject();
            }

            stdout.Write(_buffer.WrittenSpan);
            stdout.WriteByte((byte)'\n');
            stdout.Flush();
        }
    }
}
