extension Workspace {
    /// Whether the lab's executor can take jobs now: `loupe run` refuses to start otherwise,
    /// rather than start and leave its jobs waiting on a cluster it cannot reach.
    package func checkExecutor() throws {
        switch settings.executor {
        case .local: return
        case .slurm(let slurm): try SlurmPreflight(settings: slurm).check()
        }
    }

    /// Where heavy jobs run, in words for `loupe status`, with the reason a cluster cannot take
    /// them now (the same check as at start, bounded in time).
    package func executorSummary() -> String {
        guard case .slurm = settings.executor else { return "local (this machine)" }
        do {
            try checkExecutor()
            return "slurm: the cluster takes jobs (trainings and prediction sweeps run there; docs/slurm.md)"
        } catch {
            return "slurm: cannot take jobs: \(error)"
        }
    }
}
