namespace Palisade.Cli.Tests;

/// <summary>Runs palisade's command line in-process, its output captured; no daemon is reachable.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        Environment.SetEnvironmentVariable("PALISADE_SOCKET", "/nonexistent/palisaded.sock");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var line = Parsing.CommandLineRunner.Normalize(args);
        var code = await Parsing.CommandLineRunner.RunAsync(PalisadeCommand.Declare(line), line, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>What the shell completion is offered for <paramref name="line"/>, the cursor at its end.</summary>
    public static async Task<string[]> CompleteAsync(string line)
    {
        var (code, output, error) = await RunAsync($"[suggest:{line.Length}]", line);
        return code == 0 && error.Length == 0
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : throw new InvalidOperationException($"completion of '{line}' exited {code}: {error}");
    }
}
