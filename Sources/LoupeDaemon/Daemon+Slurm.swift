import LoupeLab

/// Trainings on the Slurm cluster, as the loop sees them: every call to Slurm and every read of
/// a job's result runs on the thread pool (`SlurmCluster`), and its answer comes back here,
/// where the events are appended. The daemon's own slot stays free for predictions meanwhile.
extension Daemon {
    /// Submits the due training to Slurm instead of training here; a stale training still
    /// queued is cancelled first. The run's TrainingStarted is appended once Slurm took the
    /// job, with its id: a daemon killed before that finds the job again by its name.
    func submitTraining(to cluster: SlurmCluster) throws {
        if let stale = state.slurm?.training { return supersede(stale, cluster: cluster) }
        let plan = try workspace.planTraining()
        let incumbent = state.serving
        state.slurmRequest = true
        WorkRequest.submit(on: loop, work: { Result { try cluster.submit(plan) } }, after: { [unowned self] result in
            self.state.slurmRequest = false
            switch result {
            case .success(let training):
                let doing = "recording Slurm job \(training.slurmJob) of training run \(training.run)"
                do {
                    try self.append { try self.workspace.recordTrainingSubmitted(training) }
                    self.follow(training, incumbent: incumbent)
                } catch where TransientFault.contains(error) {
                    self.backOff("\(error)", while: doing, keeping: "the job is found again by its name")
                } catch {
                    return self.fail(error, while: doing)
                }
            case .failure(let error):
                self.backOff("\(error)", while: "submitting training run \(plan.run) to Slurm", keeping: "its corrections wait")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }

    /// A daemon that stopped or died while its training ran on Slurm follows the same job.
    func adoptSlurmTraining() throws {
        guard slurmCluster != nil, let training = try workspace.slurmTrainingInFlight() else { return }
        logger.info("adopting Slurm job \(training.slurmJob) of training run \(training.run) from the log")
        follow(training, incumbent: state.serving)
        lookAtSlurmJob()
    }

    private func follow(_ training: SlurmTraining, incumbent: ServingModel?) {
        state.slurm = DaemonState.SlurmFollow(training: training, incumbent: incumbent)
        pollSlurm()
    }

    /// Starts the look at the cluster every `executor.pollSeconds`, once: it asks about the
    /// training and the sweep the daemon follows, if any.
    func pollSlurm() {
        guard state.handles.slurmPoll == nil, case .slurm(let settings) = workspace.settings.executor else { return }
        let poll = TimerHandle(loop: loop) { [unowned self] in
            self.lookAtSlurmJob()
            self.collectSweep()
        }
        let period = UInt64((settings.pollSeconds * 1000).rounded(.up))
        poll.start(afterMilliseconds: period, repeatMilliseconds: period)
        state.handles.slurmPoll = poll
    }

    /// Asks Slurm how the followed job stands; an ended job's outcome is recorded as a local
    /// training's is (`recordEndedTraining`: promotion, or the failure and its retry).
    private func lookAtSlurmJob() {
        guard let followed = state.slurm, let cluster = slurmCluster, !state.slurmLooking else { return }
        state.slurmLooking = true
        let (training, current) = (followed.training, followed.incumbent)
        WorkRequest.submit(on: loop, work: { Result { try cluster.observe(training, current: current) } }, after: { [unowned self] result in
            self.state.slurmLooking = false
            // Superseded while Slurm was being asked: that job is no longer this daemon's.
            guard self.state.slurm?.training == training else { return self.finishIfIdle() }
            switch result {
            case .success(.waiting(let standing, let word)):
                if word != self.state.slurm?.word { self.logger.info("Slurm job \(training.slurmJob) of training run \(training.run) is \(word)") }
                self.state.slurm?.standing = standing
                self.state.slurm?.word = word
            case .success(.ended(let outcome)):
                self.state.slurm = nil
                self.state.memoryToRelease = true
                self.state.unrecordedTraining = DaemonState.EndedTraining(outcome: outcome, plan: training.plan, incumbent: current?.sha)
                return self.recordEndedTraining()
            case .failure(let error):
                self.logger.warning("asking Slurm about job \(training.slurmJob) of training run \(training.run) failed: \(error); asking again later")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }

    /// A training on newer corrections replaces one still waiting in Slurm's queue: the old
    /// job is cancelled, then its run recorded as aborted, then the new one is submitted.
    private func supersede(_ training: SlurmTraining, cluster: SlurmCluster) {
        state.slurmRequest = true
        WorkRequest.submit(on: loop, work: { Result { try cluster.cancel(training) } }, after: { [unowned self] result in
            self.state.slurmRequest = false
            let doing = "cancelling Slurm job \(training.slurmJob) of training run \(training.run)"
            switch result {
            case .success:
                do {
                    try self.append { try self.workspace.recordTrainingSuperseded(training) }
                    self.state.slurm = nil
                } catch where TransientFault.contains(error) {
                    self.backOff("\(error)", while: doing, keeping: "the job is cancelled; its run is recorded on the next try")
                } catch {
                    return self.fail(error, while: doing)
                }
            case .failure(let error):
                self.backOff("\(error)", while: doing, keeping: "the job is followed on")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }
}
