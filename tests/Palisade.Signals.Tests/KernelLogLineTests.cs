using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>Reading kmsg records, dmesg lines and syslog/journald lines.</summary>
public sealed class KernelLogLineTests
{
    [Fact]
    public void A_kmsg_record_gives_its_message_sequence_level_time_and_properties()
    {
        var line = KernelLogLine.ParseKmsg("6,1021,384605483,-;igb 0000:56:00.0 eth2: igb: eth2 NIC Link is Down\n SUBSYSTEM=net\n DEVICE=n4\n");

        Assert.NotNull(line);
        Assert.Equal(KernelLogFormat.Kmsg, line.Format);
        Assert.Equal("igb 0000:56:00.0 eth2: igb: eth2 NIC Link is Down", line.Message);
        Assert.Equal("6,1021,384605483,-;igb 0000:56:00.0 eth2: igb: eth2 NIC Link is Down", line.Raw);
        Assert.Equal(1021, line.Sequence);
        Assert.Equal(0, line.Facility);
        Assert.Equal(KernelLogLevel.Info, line.Level);
        Assert.Equal(TimeSpan.FromMicroseconds(384605483), line.SinceBoot);
        Assert.Equal(new Dictionary<string, string> { ["SUBSYSTEM"] = "net", ["DEVICE"] = "n4" }, line.Properties);
    }

    [Fact]
    public void A_kmsg_record_from_user_space_has_its_own_facility_and_reserved_header_fields_are_ignored()
    {
        var user = KernelLogLine.ParseKmsg("14,5,100,-;palisaded: started");
        Assert.Equal((1, KernelLogLevel.Info, "palisaded: started"), (user!.Facility, user.Level, user.Message));

        var extended = KernelLogLine.ParseKmsg("3,339,5140900,c,caller=T1;sd 2:0:0:0: [sdb] tag#0 FAILED Result: hostbyte=DID_NO_CONNECT");
        Assert.Equal((KernelLogLevel.Error, "sd 2:0:0:0: [sdb] tag#0 FAILED Result: hostbyte=DID_NO_CONNECT"), (extended!.Level, extended.Message));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("6,1,2")]
    [InlineData("6,1,2;no flags")]
    [InlineData("x,1,2,-;bad priority")]
    [InlineData("6,-1,2,-;negative sequence")]
    [InlineData("6,99999999999999999999,2,-;sequence too large")]
    [InlineData("6,1,9999999999999999,-;time stamp too large")]
    [InlineData("\n SUBSYSTEM=net")]
    [InlineData("[  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Down")]
    public void A_bad_kmsg_record_is_refused_without_throwing(string record)
    {
        Assert.Null(KernelLogLine.ParseKmsg(record));
    }

    [Fact]
    public void Continuation_lines_without_a_value_are_ignored_and_the_last_value_of_a_key_wins()
    {
        var line = KernelLogLine.ParseKmsg("6,7,8,-;msg\n SUBSYSTEM=net\n no equals sign\n =empty key\nnot indented=x\n SUBSYSTEM=pci\r");
        Assert.Equal(new Dictionary<string, string> { ["SUBSYSTEM"] = "pci" }, line!.Properties);
    }

    [Fact]
    public void Any_text_at_all_is_read_without_throwing()
    {
        var random = new Random(20241204);
        const string alphabet = "6,;[]:. -\n\r\t<>0123456789abkernel\u00e9\uFFFD\0\\x=";
        for (var i = 0; i < 5000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var line = KernelLogLine.Parse(text);
            Assert.True(line is null ? string.IsNullOrWhiteSpace(text) : !line.Message.Contains('\n'), text);
            KernelLogLine.ParseKmsg(text);
        }
    }

    [Theory]
    [InlineData("[12345.678901] e1000e 0000:00:19.0 eth0: NIC Link is Down", null, null, 12345.678901)]
    [InlineData("[    3.5] e1000e 0000:00:19.0 eth0: NIC Link is Down", null, null, 3.5)]
    [InlineData("<3>[  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Down", 0, KernelLogLevel.Error, 336.603619)]
    [InlineData("kern  :err   : [  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Down", 0, KernelLogLevel.Error, 336.603619)]
    [InlineData("daemon:warn  : [  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Down", 3, KernelLogLevel.Warning, 336.603619)]
    [InlineData("[Wed Dec  4 10:00:00 2024] e1000e 0000:00:19.0 eth0: NIC Link is Down", null, null, null)]
    public void A_dmesg_line_gives_its_message_and_what_its_prefix_says(string text, int? facility, KernelLogLevel? level, double? seconds)
    {
        var line = Recorded.Line(text);
        Assert.Equal(KernelLogFormat.Dmesg, line.Format);
        Assert.Equal("e1000e 0000:00:19.0 eth0: NIC Link is Down", line.Message);
        Assert.Equal((facility, level), (line.Facility, line.Level));
        Assert.Equal(seconds is null ? null : TimeSpan.FromMicroseconds(Math.Round(seconds.Value * 1e6)), line.SinceBoot);
        Assert.Null(line.Sequence);
    }

    [Theory]
    [InlineData("Dec  4 10:00:00 node1 kernel: e1000e: eth0 NIC Link is Down", "kernel", 0, null)]
    [InlineData("Dec 04 10:00:00.123456 node1 kernel: e1000e: eth0 NIC Link is Down", "kernel", 0, null)]
    [InlineData("2024-12-04T10:00:00.402913+01:00 node1 kernel: e1000e: eth0 NIC Link is Down", "kernel", 0, null)]
    [InlineData("Jun 20 13:54:03 tony13 kern.warn kernel: e1000e: eth0 NIC Link is Down", "kernel", 0, KernelLogLevel.Warning)]
    [InlineData("Jul  8 13:33:59 init115-15 multipathd[46030]: e1000e: eth0 NIC Link is Down", "multipathd", null, null)]
    public void A_syslog_line_gives_its_message_and_program(string text, string program, int? facility, KernelLogLevel? level)
    {
        var line = Recorded.Line(text);
        Assert.Equal(KernelLogFormat.Syslog, line.Format);
        Assert.Equal("e1000e: eth0 NIC Link is Down", line.Message);
        Assert.Equal((program, facility, level), (line.Program, line.Facility, line.Level));
    }

    [Fact]
    public void A_kernel_time_stamp_inside_a_syslog_line_is_taken_off_the_message()
    {
        var line = Recorded.Line("Oct  3 12:00:03 web01 kernel: [  336.603619]  rport-7:0-2: blocked FC remote port time out: removing target and saving binding\r");
        Assert.Equal(" rport-7:0-2: blocked FC remote port time out: removing target and saving binding", line.Message);
        Assert.Equal(TimeSpan.FromMicroseconds(336603619), line.SinceBoot);
    }

    [Fact]
    public void A_line_in_no_known_form_is_all_message_and_a_blank_line_is_nothing()
    {
        var line = Recorded.Line("e1000e: eth0 NIC Link is Down  \r");
        Assert.Equal((KernelLogFormat.Text, "e1000e: eth0 NIC Link is Down", (int?)null), (line.Format, line.Message, line.Facility));
        Assert.Null(KernelLogLine.Parse("   \r"));
        Assert.Null(KernelLogLine.Parse(null));
    }

    [Fact]
    public void Reading_a_log_joins_continuation_lines_only_to_the_kmsg_record_before_them()
    {
        string[] lines =
        [
            "6,1,10,-;first",
            " SUBSYSTEM=net",
            " DEVICE=n2",
            "",
            "[  1.000000] second",
            " third, indented",
            "6,2,20,-;fourth",
        ];
        var read = KernelLogLine.ParseAll(lines).ToList();

        Assert.Equal(["first", "second", " third, indented", "fourth"], read.Select(l => l.Message));
        Assert.Equal(2, read[0].Properties.Count);
        Assert.Equal(KernelLogFormat.Text, read[2].Format);
        Assert.Equal(2, read[3].Sequence);
    }
}
