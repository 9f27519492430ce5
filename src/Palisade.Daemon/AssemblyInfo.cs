using System.Runtime.CompilerServices;
using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]
[assembly: InternalsVisibleTo("Palisade.Simulation")]
[assembly: InternalsVisibleTo("Palisade.Simulation.Tests")]
[assembly: InternalsVisibleTo("Palisade.Daemon.Tests")]
