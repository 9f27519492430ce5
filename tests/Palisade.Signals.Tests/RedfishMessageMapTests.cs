using System.Text;
using Palisade.Core.Messages;
using Palisade.Signals.Redfish;
using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>Redfish Event documents as BMCs push or stream them, read and turned into the cluster's messages.</summary>
public sealed class RedfishMessageMapTests
{
    private static string Document(string messageId, string args = "[]", string severity = "Critical", string id = "7") =>
        $$$"""
        {"@odata.type": "#Event.v1_7_0.Event", "Id": "{{{id}}}", "Name": "Event Array", "Context": "c",
         "Events": [{"EventId": "{{{id}}}", "EventTimestamp": "2026-12-04T20:00:00Z", "MessageSeverity": "{{{severity}}}",
                     "Message": "m", "MessageId": "{{{messageId}}}", "MessageArgs": {{{args}}},
                     "OriginOfCondition": {"@odata.id": "/redfish/v1/Systems/1"}}]}
        """;

    private static ExternalNotice? MapOne(string document, string node = "n1") =>
        RedfishMessageMap.Map(Assert.Single(RedfishEvent.ParseDocument(Encoding.UTF8.GetBytes(document))), node, "Redfish push");

    [Theory]
    [InlineData("ResourceEvent.1.3.0.ResourcePoweredOff", "[\"/redfish/v1/Systems/1\"]", "NODE", "power-off", NoticeSeverity.Error)]
    [InlineData("ResourceEvent.1.0.ResourcePoweredOff", "[]", "NODE", "power-off", NoticeSeverity.Error)]
    [InlineData("Platform.1.0.OperatingSystemCrash", "[]", "NODE", "os-crash", NoticeSeverity.Error)]
    [InlineData("NetworkDevice.1.0.CableRemoved", "[\"ic0\"]", "NIC", "ic0", NoticeSeverity.Error)]
    [InlineData("NetworkDevice.1.0.ConnectionDropped", "[\"eth1\"]", "NIC", "eth1", NoticeSeverity.Error)]
    [InlineData("NetworkDevice.1.0.CableInserted", "[\"ic0\"]", "NIC", "ic0", NoticeSeverity.Clear)]
    [InlineData("Power.1.0.PowerSupplyFailed", "[\"PSU1\"]", "HA/RS", "power-supply", NoticeSeverity.Error)]
    [InlineData("Environmental.1.0.TemperatureAboveUpperCriticalThreshold", "[\"CPU1\", \"95\"]", "HA/RS", "temperature", NoticeSeverity.Error)]
    public void A_known_message_becomes_a_message_about_the_node_whose_BMC_sent_it(string messageId, string args, string category, string keyword, NoticeSeverity severity)
    {
        var notice = MapOne(Document(messageId, args), "n2");

        Assert.NotNull(notice);
        Assert.Equal((category, keyword, severity, "n2"), (notice.Category, notice.Keyword, notice.Severity, notice.Node));
        Assert.Contains(messageId, notice.Text, StringComparison.Ordinal);
        Assert.Null(ExternalNoticeRules.Problem(notice, ExternalNoticeRules.BuiltInCategories, ["n1", "n2"]));
    }

    [Theory]
    [InlineData("ResourceEvent.1.3.0.ResourcePoweredOn")]
    [InlineData("ResourceEvent.1.3.0.ResourceChanged")]
    [InlineData("Base.1.8.Success")]
    [InlineData("NoDotsAtAll")]
    public void Any_other_message_is_left_out(string messageId) => Assert.Null(MapOne(Document(messageId)));

    [Fact]
    public void The_same_record_brought_twice_has_one_id_and_another_record_another()
    {
        var first = MapOne(Document("NetworkDevice.1.0.CableRemoved", "[\"ic0\"]", id: "7"));
        var again = MapOne(Document("NetworkDevice.1.0.CableRemoved", "[\"ic0\"]", id: "7"));
        var next = MapOne(Document("NetworkDevice.1.0.CableRemoved", "[\"ic0\"]", id: "8"));

        Assert.Equal(first!.Id, again!.Id);
        Assert.NotEqual(first.Id, next!.Id);
    }

    [Fact]
    public void A_long_BMC_id_still_fits_the_id_limit()
    {
        var notice = MapOne(Document("Platform.1.0.OperatingSystemCrash", id: new string('x', 400)));

        Assert.True(Encoding.UTF8.GetByteCount(notice!.Id) <= ExternalNoticeRules.MaxIdBytes);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"Events\": 3}")]
    public void A_document_that_is_not_an_Event_is_refused(string json) =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RedfishEvent.ParseDocument(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Records_without_a_MessageId_are_left_out_and_a_string_origin_is_read()
    {
        var json = """{"Events": [{"EventId": "1"}, {"EventId": "2", "MessageId": "Platform.1.0.OperatingSystemCrash", "OriginOfCondition": "/redfish/v1/Systems/1"}]}""";

        var record = Assert.Single(RedfishEvent.ParseDocument(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(("2", "/redfish/v1/Systems/1", "OperatingSystemCrash", "Platform"), (record.EventId, record.Origin, record.Key, record.Registry));
    }
}
