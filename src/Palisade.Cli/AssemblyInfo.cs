using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Palisade.Cli.Tests")]
