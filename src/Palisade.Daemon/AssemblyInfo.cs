using System.Runtime.CompilerServices;
using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]
[assembly: InternalsVisibleTo("Palisade.Daemon.Tests")]
