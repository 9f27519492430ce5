using System.Net;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Daemon.Intake;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>Who may use the HTTPS intake, and the journal behind every channel: order, duplicates, rotation.</summary>
public sealed class IntakeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-intake-").FullName;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Token(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private IntakeConfig Config(params IntakeSender[] senders) => new() { Certificate = "/c", Key = "/k", Senders = [.. senders] };

    [Fact]
    public void A_sender_needs_an_allowed_address_its_own_token_and_the_action()
    {
        var config = Config(
            new IntakeSender { Name = "bmc", TokenFile = Token("bmc", "bmc-token-0123456789\n"), Allow = ["198.18.0.200/29"] },
            new IntakeSender { Name = "ops", TokenFile = Token("ops", "ops-token-0123456789"), Allow = ["198.18.0.10/32"], Actions = [IntakeAction.Failover] });
        var authority = new SenderAuthority(config, _clock, out var problems);
        Assert.Empty(problems);
        var bmc = IPAddress.Parse("198.18.0.201");

        Assert.Equal("bmc", authority.Check(bmc, "Bearer bmc-token-0123456789", IntakeAction.Notify).Sender?.Name);
        Assert.Equal("ops", authority.Check(IPAddress.Parse("::ffff:198.18.0.10"), "Bearer ops-token-0123456789", IntakeAction.Failover).Sender?.Name);

        var elsewhere = authority.Check(IPAddress.Parse("198.18.0.99"), "Bearer bmc-token-0123456789", IntakeAction.Notify);
        Assert.Equal((403, "notification from external (IP=198.18.0.99) was denied: the address is in no sender's allow list"), (elsewhere.Status, elsewhere.Denied));
        var stolen = authority.Check(bmc, "Bearer ops-token-0123456789", IntakeAction.Notify); // a real token, from the wrong place
        Assert.Equal(401, stolen.Status);
        Assert.DoesNotContain("token-0123456789", stolen.Denied, StringComparison.Ordinal);
        Assert.Equal(401, authority.Check(bmc, null, IntakeAction.Notify).Status);
        var action = authority.Check(bmc, "Bearer bmc-token-0123456789", IntakeAction.Script);
        Assert.Equal((403, "request from sender bmc (IP=198.18.0.201) was denied: it may not ask for script (it may: notify)"), (action.Status, action.Denied));
    }

    [Fact]
    public void Failed_attempts_from_one_address_are_limited_for_a_minute()
    {
        var config = Config(new IntakeSender { Name = "bmc", TokenFile = Token("bmc", "bmc-token-0123456789"), Allow = ["198.18.0.0/24"] });
        var authority = new SenderAuthority(config, _clock, out _);
        var guesser = IPAddress.Parse("198.18.0.5");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(401, authority.Check(guesser, $"Bearer guess-{i}", IntakeAction.Notify).Status);
        }

        Assert.Equal(429, authority.Check(guesser, "Bearer bmc-token-0123456789", IntakeAction.Notify).Status);
        Assert.NotNull(authority.Check(IPAddress.Parse("198.18.0.6"), "Bearer bmc-token-0123456789", IntakeAction.Notify).Sender); // others unaffected
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.NotNull(authority.Check(guesser, "Bearer bmc-token-0123456789", IntakeAction.Notify).Sender);
    }

    [Fact]
    public void A_token_file_that_is_missing_short_or_readable_by_others_leaves_its_sender_out()
    {
        var config = Config(
            new IntakeSender { Name = "open", TokenFile = Token("open", "open-token-0123456789", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead), Allow = ["10.0.0.0/8"] },
            new IntakeSender { Name = "short", TokenFile = Token("short", "abc"), Allow = ["10.0.0.0/8"] },
            new IntakeSender { Name = "gone", TokenFile = Path.Combine(_dir, "gone"), Allow = ["10.0.0.0/8"] });
        var authority = new SenderAuthority(config, _clock, out var problems);
        Assert.Equal(0, authority.Usable);
        Assert.Collection(problems,
            p => Assert.Equal($"sender open: {_dir}/open is readable or writable by others than its owner (make it mode 600); it cannot send", p),
            p => Assert.Equal($"sender short: {_dir}/short holds no usable token (at least 16 characters without spaces); it cannot send", p),
            p => Assert.StartsWith($"sender gone: {_dir}/gone cannot be read:", p, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("open-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_journal_hands_on_entries_in_order_once_synced_refuses_known_ids_and_rotates_when_full()
    {
        var path = Path.Combine(_dir, "events.journal");
        var durable = new List<string>();
        var journal = new EventJournal(path, _clock, e => durable.Add(e.Notice.Id), maxBytes: 4096);
        var appends = Enumerable.Range(1, 100).Select(i => journal.AppendAsync(new ExternalNotice("NIC", $"eth{i}", NoticeSeverity.Error, "", "test", null, $"m{i}"), "n1")).ToList();
        Assert.All(await Task.WhenAll(appends), Assert.True);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"m{i}"), durable);
        Assert.True(journal.Knows("m7"));
        Assert.False(await journal.AppendAsync(new ExternalNotice("NIC", null, NoticeSeverity.Error, "", "test", null, "m7"), "n1"));
        await journal.DisposeAsync();

        // One old file is kept: what is left is the newest part, in order, read across both files.
        Assert.True(File.Exists(EventJournal.RotatedPath(path)));
        var kept = EventJournal.ReadAll(path).Select(e => e.Notice.Id).ToList();
        Assert.Equal(Enumerable.Range(101 - kept.Count, kept.Count).Select(i => $"m{i}"), kept);

        var reopened = new EventJournal(path, _clock, maxBytes: 1 << 20);
        Assert.True(await reopened.AppendAsync(new ExternalNotice("NIC", null, NoticeSeverity.Error, "", "test", null, "m101"), "n1"));
        await reopened.DisposeAsync();
        Assert.Equal([.. kept, "m101"], EventJournal.ReadAll(path).Select(e => e.Notice.Id)); // the rotated file first
        var again = new EventJournal(path, _clock);
        Assert.True(again.Knows(kept[0]) && again.Knows("m101")); // both files are read at start
        await again.DisposeAsync();
    }

    [Fact]
    public async Task After_a_restart_only_what_follows_the_last_message_the_cluster_applied_goes_out_again()
    {
        var published = new List<string>();
        await using var intake = new NoticeIntake(Path.Combine(_dir, "events.journal"), "n1", ["n1", "n2"], () => ["NIC"], _clock,
            e => published.Add(e.Id), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var entries = Enumerable.Range(1, 6000).Select(i => new JournalEntry(_clock.GetUtcNow(), "n1",
            new ExternalNotice("NIC", $"d{i}", NoticeSeverity.Error, "", "test", null, $"m{i}"))).ToList();
        entries.Insert(10, new JournalEntry(_clock.GetUtcNow(), "n2", new ExternalNotice("NIC", "x", NoticeSeverity.Error, "", "test", null, "other")));

        // The state remembers only its latest ids: m1905..m5990 here. m1..m1904 were applied too, and forgotten.
        var applied = Enumerable.Range(1905, 4086).Select(i => $"m{i}").ToHashSet();
        Assert.Equal(10, intake.Republish(entries, applied, _clock.GetUtcNow().AddMinutes(-5)));
        Assert.Equal(Enumerable.Range(5991, 10).Select(i => $"m{i}"), published);
    }
}

/// <summary>Many messages in one request: each checked and answered in its place, journaled in order, published once.</summary>
public sealed class IntakeBatchTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-intake-batch-").FullName;
    private readonly List<ExternalEvent> _published = [];

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        Directory.Delete(_dir, recursive: true);
    }

    private static ExternalNotice Notice(string id, string category = "NIC", string keyword = "eth1") =>
        new(category, keyword, NoticeSeverity.Error, "link down", "test", null, id);

    [Fact]
    public async Task Each_message_of_a_batch_is_answered_in_its_place_and_journaled_in_order()
    {
        var journal = Path.Combine(_dir, "events.journal");
        await using (var intake = new NoticeIntake(journal, "n1", ["n1", "n2"], () => ExternalNoticeRules.BuiltInCategories, TimeProvider.System,
            e => { lock (_published) { _published.Add(e); } }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            var first = await intake.AcceptManyAsync([Notice("a"), Notice("b", keyword: "eth2"), Notice("c", category: "NOPE"), Notice("a")], "test");

            Assert.Equal([true, true, false, true], first.Select(a => a.Accepted).ToArray());
            Assert.Contains("category 'NOPE' is not", first[2].Text, StringComparison.Ordinal);
            Assert.Contains("accepted before", first[3].Text, StringComparison.Ordinal);

            var again = await intake.AcceptManyAsync([Notice("b", keyword: "eth2"), Notice("d", keyword: "eth3")], "test");
            Assert.Contains("accepted before", again[0].Text, StringComparison.Ordinal);
            Assert.True(again[1].Accepted);
        }

        Assert.Equal(["a", "b", "d"], EventJournal.ReadAll(journal).Select(e => e.Notice.Id).ToArray());
        Assert.Equal(["a", "b", "d"], _published.Select(e => e.Id).ToArray());
    }
}
