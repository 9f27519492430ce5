using Xunit;

namespace Palisade.Agents.Tests;

/// <summary>Reading list output in the layouts the installed agents print (captured from fence_virt and fencing.py).</summary>
public sealed class FenceAgentPlugListTests
{
    /// <summary>fence_virt 4.12 against fence_virtd on test:///default: <c>%-32s %s %s</c>.</summary>
    private const string VirtList = "test                             6695eb01-f6a4-8304-79aa-97f2502e193f on\n";

    [Fact]
    public void Fence_virt_columns_give_the_domain_and_its_uuid()
    {
        FenceAgentPlugList list = FenceAgentPlugList.Parse(VirtList, ",", columns: true);

        Assert.Null(list.CannotList);
        Assert.Equal([new FenceAgentPlug("test", "6695eb01-f6a4-8304-79aa-97f2502e193f")], list.Plugs.ToArray());
        Assert.True(list.Knows("test"));
        Assert.True(list.Knows("6695eb01-f6a4-8304-79aa-97f2502e193f"));
        Assert.False(list.Knows("tset"));
        Assert.False(list.Knows("on"));
        Assert.Equal("lists: test", list.Describe("tset"));
    }

    [Fact]
    public void Fence_virt_columns_keep_a_name_with_blanks_and_commas_whole()
    {
        FenceAgentPlugList list = FenceAgentPlugList.Parse(
            "web vm                           11111111-2222-3333-4444-555555555555 off\n"
            + "db,1                             21111111-2222-3333-4444-555555555555 on\n",
            ",",
            columns: true);

        Assert.Equal(["web vm", "db,1"], list.Plugs.Select(p => p.Plug));
        Assert.False(list.Knows("web"));
    }

    [Fact]
    public void Fencing_py_lines_split_at_the_first_separator_and_are_trimmed()
    {
        FenceAgentPlugList list = FenceAgentPlugList.Parse("\r\n vm-1 , web one, spare \r\nvm-2,\n\n  \ni-0abc\n", ",", columns: false);

        Assert.Equal(
            [new FenceAgentPlug("vm-1", "web one, spare"), new FenceAgentPlug("vm-2", ""), new FenceAgentPlug("i-0abc", "")],
            list.Plugs.ToArray());
        Assert.True(list.Knows("web one, spare"));
        Assert.False(list.Knows(""));
        Assert.Equal("lists: vm-1, vm-2, i-0abc", list.Describe("vm-3"));
    }

    [Fact]
    public void The_operators_separator_is_used_and_columns_only_when_asked_for()
    {
        FenceAgentPlugList semicolon = FenceAgentPlugList.Parse("vm,1;web\n", ";", columns: false);
        FenceAgentPlugList notColumns = FenceAgentPlugList.Parse(VirtList, ",", columns: false);

        Assert.Equal([new FenceAgentPlug("vm,1", "web")], semicolon.Plugs.ToArray());
        Assert.False(notColumns.Knows("test"));
    }

    [Theory]
    [InlineData("NOTICE: List option is not working on this device yet\n", "NOTICE: List option is not working on this device yet")]
    [InlineData("\nN/A\n", "N/A")]
    public void A_list_the_agent_cannot_run_is_told_apart_from_a_list(string output, string printed)
    {
        FenceAgentPlugList list = FenceAgentPlugList.Parse(output, ",", columns: false);

        Assert.Equal(printed, list.CannotList);
        Assert.Empty(list.Plugs);
    }

    [Fact]
    public void An_empty_list_knows_no_plug()
    {
        FenceAgentPlugList list = FenceAgentPlugList.Parse("\n", ",", columns: true);

        Assert.Null(list.CannotList);
        Assert.False(list.Knows("test"));
        Assert.Equal("lists no plugs", list.Describe("test"));
    }

    [Fact]
    public void A_long_list_shows_the_near_names_first_and_counts_the_rest()
    {
        string output = string.Concat(Enumerable.Range(1, 30).Select(i => $"node{i:00},\n")) + "web-17,\n";

        string described = FenceAgentPlugList.Parse(output, ",", columns: false).Describe("web17");

        Assert.Equal("lists: web-17, node01, node02, node03, node04, node05, node06, node07, node08, node09, ... and 21 more", described);
    }
}
