using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Palisade.Corosync.Tests")]
