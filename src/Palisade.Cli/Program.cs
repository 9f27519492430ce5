using Palisade.Cli.Parsing;

namespace Palisade.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        LabAssemblies.Install();
        var line = CommandLineRunner.Normalize(args);
        return CommandLineRunner.RunAsync(PalisadeCommand.Declare(line), line, Console.Out, Console.Error);
    }
}

/// <summary>A command line that does not fit the usage.</summary>
internal sealed class UsageException(string message) : Exception(message);
