using System.Text.Json;
using Palisade.Core.Control;
using Palisade.Core.Status;

namespace Palisade.Cli;

internal static class StatusCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var output = Options.Value(args, "--output", "-o") ?? "text";
        if (output is not ("text" or "json"))
        {
            throw new UsageException($"--output must be text or json, not '{output}'");
        }

        var response = await ControlClient.SendAsync(new ControlRequest("status"), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (!response.Ok || response.Status is null)
        {
            throw new IOException(response.Error ?? "palisaded returned no status");
        }

        await stdout.WriteAsync(output == "json"
            ? JsonSerializer.Serialize(response.Status, JsonOutput.Options) + "\n"
            : StatusText.Render(response.Status)).ConfigureAwait(false);
        return 0;
    }
}

internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}

internal static class Options
{
    /// <summary>The value after <paramref name="names"/> in <paramref name="args"/>, or null when absent.</summary>
    public static string? Value(string[] args, params string[] names)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (names.Contains(args[i]))
            {
                return i + 1 < args.Length ? args[i + 1] : throw new UsageException($"{args[i]} needs a value");
            }
        }

        return null;
    }

    /// <summary>Arguments that are neither options nor option values.</summary>
    public static List<string> Positional(string[] args, params string[] valued)
    {
        var list = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (valued.Contains(args[i]))
            {
                i++;
            }
            else if (args[i].StartsWith('-'))
            {
                throw new UsageException($"unknown option '{args[i]}'");
            }
            else
            {
                list.Add(args[i]);
            }
        }

        return list;
    }
}
