using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Palisade.Corosync;
using Palisade.Corosync.Probe;

// Exit codes: 0 after `exit` or end of stdin, 2 when the link cannot be opened, 3 when corosync was lost, 64 usage.
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: Palisade.Corosync.Probe <cpg-group>");
    return 64;
}

using var loggerFactory = LoggerFactory.Create(builder => builder
    .SetMinimumLevel(LogLevel.Debug)
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
var output = new JsonLineWriter(Console.OpenStandardOutput());

CorosyncLink link;
try
{
    link = CorosyncLink.Open(args[0], loggerFactory.CreateLogger("Palisade.Corosync"));
}
catch (CorosyncException ex)
{
    output.Error("open", ex.Message, ex.ErrorCode);
    return 2;
}

output.Ready(link.LocalNodeId, link.IsQuorate());
var pump = Task.Run(async () =>
{
    await foreach (var corosyncEvent in link.Events.ReadAllAsync())
    {
        output.Event(corosyncEvent);
        if (corosyncEvent is CorosyncLost)
        {
            loggerFactory.Dispose();
            Environment.Exit(3);
        }
    }
});

while (Console.In.ReadLine() is { } line)
{
    if (line == "exit")
    {
        break;
    }

    RunCommand(line);
}

link.Dispose();
await pump;
return 0;

void RunCommand(string line)
{
    try
    {
        if (line.StartsWith("send ", StringComparison.Ordinal))
        {
            link.Send(Encoding.UTF8.GetBytes(line["send ".Length..]));
        }
        else if (line.StartsWith("burst ", StringComparison.Ordinal))
        {
            Burst(line.Split(' '));
        }
        else if (line == "quorum")
        {
            output.Votequorum(link.GetVotequorumInfo());
        }
        else
        {
            output.Error("command", $"unknown command: {line}", 0);
        }
    }
    catch (CorosyncException ex)
    {
        output.Error(line.Split(' ')[0], ex.Message, ex.ErrorCode);
    }
    catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException)
    {
        output.Error(line.Split(' ')[0], $"malformed command: {line}", 0);
    }
}

// burst COUNT SIZE PREFIX: COUNT messages "PREFIX-i" padded to SIZE bytes, back to back, to run into flow control.
void Burst(string[] words)
{
    var count = int.Parse(words[1], CultureInfo.InvariantCulture);
    var size = int.Parse(words[2], CultureInfo.InvariantCulture);
    for (var i = 0; i < count; i++)
    {
        link.Send(Encoding.UTF8.GetBytes($"{words[3]}-{i}".PadRight(size, '.')));
    }

    output.BurstDone(count);
}
