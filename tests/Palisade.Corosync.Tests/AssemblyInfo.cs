using Xunit;

// Every test class starts real corosync clusters; running them side by side on two cores would distort timings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
