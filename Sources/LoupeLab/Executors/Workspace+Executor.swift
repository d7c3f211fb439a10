extension Workspace {
    /// Whether the lab's executor can take jobs now: `loupe run` refuses to start otherwise,
    /// rather than start and leave its jobs waiting on a cluster it cannot reach.
    package func checkExecutor() throws {
        switch settings.executor {
        case .local: return
        case .slurm(let slurm): try SlurmPreflight(settings: slurm).check()
        }
    }
}
