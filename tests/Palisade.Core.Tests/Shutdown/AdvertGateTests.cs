using System.Text;
using System.Text.Json.Nodes;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

/// <summary>What a receiver believes of a partition advert, and every reason it refuses one.</summary>
public sealed class AdvertGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
    private static readonly ClusterKey Key = KeyOf(1);
    private readonly ClusterConfig _config;
    private readonly AdvertGate _gate;

    public AdvertGateTests()
    {
        var config = TestConfigs.Cluster(3);
        _config = config with { Nodes = [.. config.Nodes.Select(n => n with { Admin = $"198.18.0.{140 + n.Id}" })] };
        _gate = new AdvertGate(_config, Key);
    }

    private static ClusterKey KeyOf(byte fill) => ClusterKey.FromBytes(Enumerable.Repeat(fill, 256).ToArray()).Key!;

    private static PartitionAdvert Advert(string from = "n2", string cluster = "test") =>
        new(cluster, from, ["n2", "n3"], 2, true, ["n1"]);

    private static byte[] Sealed(PartitionAdvert advert, AdvertStamp stamp, ClusterKey? key = null, DateTimeOffset? sentAt = null) =>
        AdvertCodec.Seal(stamp.Stamp(advert, sentAt ?? T0), key ?? Key);

    private AdvertVerdict Admit(byte[] datagram, string source = "198.18.0.142", DateTimeOffset? now = null) =>
        _gate.Admit(datagram, source, now ?? T0);

    private static AdvertStamp NewStamp(string instance = "i1") => new(instance);

    [Fact]
    public void A_signed_fresh_advert_from_the_named_nodes_admin_address_is_accepted()
    {
        var stamp = NewStamp("a1");

        var verdict = Admit(Sealed(Advert(), stamp));

        Assert.True(verdict.Accepted);
        Assert.Equal(AdvertRefusal.None, verdict.Refusal);
        Assert.Equal(("n2", "a1", 1L, T0), (verdict.Advert!.From, verdict.Advert.Instance, verdict.Advert.Sequence, verdict.Advert.SentAt));
        Assert.Equal<string>(["n2", "n3"], verdict.Advert.Members);
        Assert.Equal<string>(["n1"], verdict.Advert.Killing);
    }

    [Fact]
    public void An_advert_signed_with_another_key_is_refused()
    {
        var verdict = Admit(Sealed(Advert(), NewStamp(), KeyOf(2)));

        Assert.Equal(AdvertRefusal.BadSignature, verdict.Refusal);
        Assert.Equal("bad signature (not signed with this cluster's authkey)", verdict.Reason);
    }

    [Fact]
    public void A_body_changed_after_signing_is_refused()
    {
        var datagram = JsonNode.Parse(Sealed(Advert(), NewStamp()))!;
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(datagram["body"]!.GetValue<string>()));
        var tampered = body.Replace("\"quorate\":true", "\"quorate\":false", StringComparison.Ordinal);
        Assert.NotEqual(body, tampered);
        datagram["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(tampered));

        var verdict = Admit(Encoding.UTF8.GetBytes(datagram.ToJsonString()));

        Assert.Equal(AdvertRefusal.BadSignature, verdict.Refusal);
    }

    [Fact]
    public void An_unsigned_advert_is_refused()
    {
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"cluster\":\"test\"}"));

        var verdict = Admit(Encoding.UTF8.GetBytes($"{{\"body\":\"{body}\",\"mac\":null}}"));

        Assert.Equal(AdvertRefusal.Malformed, verdict.Refusal);
        Assert.Equal("no body or no signature", verdict.Reason);
    }

    [Fact]
    public void Garbage_and_oversized_datagrams_are_refused_as_malformed()
    {
        var garbage = Admit("not json"u8.ToArray());
        var huge = Admit(new byte[AdvertCodec.MaxDatagramBytes + 1]);

        Assert.Equal(AdvertRefusal.Malformed, garbage.Refusal);
        Assert.StartsWith("not an advert: ", garbage.Reason, StringComparison.Ordinal);
        Assert.Equal(AdvertRefusal.Malformed, huge.Refusal);
        Assert.Equal($"{AdvertCodec.MaxDatagramBytes + 1} bytes, more than {AdvertCodec.MaxDatagramBytes}", huge.Reason);
    }

    [Fact]
    public void An_advert_of_another_cluster_is_refused()
    {
        var verdict = Admit(Sealed(Advert(cluster: "other"), NewStamp()));

        Assert.Equal(AdvertRefusal.OtherCluster, verdict.Refusal);
        Assert.Equal("advert of cluster 'other', not 'test'", verdict.Reason);
    }

    [Fact]
    public void An_advert_from_an_unknown_node_is_refused()
    {
        var verdict = Admit(Sealed(Advert(from: "n9"), NewStamp()));

        Assert.Equal(AdvertRefusal.UnknownSender, verdict.Refusal);
        Assert.Equal("'n9' is not a node of cluster test", verdict.Reason);
    }

    [Fact]
    public void An_advert_naming_a_node_but_coming_from_another_address_is_refused()
    {
        var verdict = Admit(Sealed(Advert(from: "n2"), NewStamp()), "198.18.0.143");

        Assert.Equal(AdvertRefusal.WrongSource, verdict.Refusal);
        Assert.Equal("names n2, whose admin address is 198.18.0.142", verdict.Reason);
    }

    [Theory]
    [InlineData(-10.001, false, "-10.0")]
    [InlineData(-10, true, "")]
    [InlineData(10, true, "")]
    [InlineData(10.001, false, "+10.0")]
    [InlineData(3600, false, "+3600.0")]
    public void The_send_time_must_lie_within_the_clock_window(double senderAheadSeconds, bool accepted, string skew)
    {
        var sentAt = T0 + TimeSpan.FromSeconds(senderAheadSeconds);

        var verdict = Admit(Sealed(Advert(), NewStamp(), sentAt: sentAt));

        Assert.Equal(accepted, verdict.Accepted);
        if (!accepted)
        {
            Assert.Equal(AdvertRefusal.OutsideClockWindow, verdict.Refusal);
            Assert.Equal($"n2 sent it at {sentAt:O}, {skew} s from this node's clock (window ±10 s)", verdict.Reason);
        }
    }

    [Fact]
    public void A_replayed_or_older_advert_of_the_same_instance_is_refused()
    {
        var stamp = NewStamp("a1");
        var first = Sealed(Advert(), stamp);
        var second = Sealed(Advert(), stamp);

        Assert.True(Admit(second).Accepted);
        var older = Admit(first);
        var replay = Admit(second);

        Assert.Equal(AdvertRefusal.Replayed, older.Refusal);
        Assert.Equal("n2 sequence 1 of instance a1 is not above 2, the last accepted", older.Reason);
        Assert.Equal(AdvertRefusal.Replayed, replay.Refusal);
        Assert.Equal("n2 sequence 2 of instance a1 is not above 2, the last accepted", replay.Reason);
        Assert.True(Admit(Sealed(Advert(), stamp)).Accepted);
    }

    [Fact]
    public void A_restarted_sender_starts_again_at_sequence_one_and_its_old_instance_stays_refused()
    {
        var before = NewStamp("old");
        var old = Enumerable.Range(0, 5).Select(_ => Sealed(Advert(), before)).ToList();
        Assert.True(Admit(old[4]).Accepted);

        var restarted = NewStamp("new");
        var afterRestart = Admit(Sealed(Advert(), restarted));

        Assert.True(afterRestart.Accepted);
        Assert.Equal(1, afterRestart.Advert!.Sequence);
        Assert.Equal(AdvertRefusal.Replayed, Admit(old[4]).Refusal);
        Assert.Equal(AdvertRefusal.Replayed, Admit(old[0]).Refusal);
    }

    [Fact]
    public void Sequences_are_tracked_per_sender()
    {
        var n2 = NewStamp("same");
        var n3 = NewStamp("same");
        Assert.True(Admit(Sealed(Advert("n2"), n2)).Accepted);
        Assert.True(Admit(Sealed(Advert("n2"), n2)).Accepted);

        Assert.True(Admit(Sealed(Advert("n3"), n3), "198.18.0.143").Accepted);
    }

    [Fact]
    public void Stamps_go_up_by_one_and_carry_the_senders_clock()
    {
        var stamp = NewStamp("a1");

        var first = stamp.Stamp(Advert(), T0);
        var second = stamp.Stamp(Advert(), T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(("a1", 1L, T0), (first.Instance, first.Sequence, first.SentAt));
        Assert.Equal(("a1", 2L, T0 + TimeSpan.FromSeconds(1)), (second.Instance, second.Sequence, second.SentAt));
    }

    [Fact]
    public void A_key_shorter_than_corosyncs_minimum_is_refused_and_a_key_never_prints_its_bytes()
    {
        var (shortKey, problem) = ClusterKey.FromBytes(new byte[127]);

        Assert.Null(shortKey);
        Assert.Equal("127 bytes, but a cluster key has at least 128", problem);
        Assert.Equal("cluster key (256 bytes)", Key.ToString());
    }
}
