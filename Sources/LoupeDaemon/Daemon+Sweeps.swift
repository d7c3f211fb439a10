import LoupeLab

/// Prediction sweeps on the Slurm cluster: after a promotion the daemon predicts the queue's
/// first page itself, and hands the rest of the backlog to the cluster as a job array. What the
/// tasks bring back is checked on the thread pool (`SlurmCluster.collect`) and recorded here;
/// what they do not, the daemon predicts itself. A sweep of a model no longer in service is cancelled.
extension Daemon {
    /// Once per model and process: a sweep of the backlog past the queue's first page, when
    /// it is worth a job array; a sweep of a model no longer serving is cancelled first.
    func considerSweep() throws {
        guard let cluster = slurmCluster, let serving = state.serving, !state.sweepRequest else { return }
        if let running = state.sweep, running.sweep.model != serving.sha { return cancelSweep(running.sweep, cluster: cluster) }
        guard state.sweep == nil, !state.sweptModels.contains(serving.sha) else { return }
        // A sweep a daemon before this one submitted is followed, whatever is left of it.
        let adopting = cluster.sweepSubmitted(model: serving.sha)
        // A few images are predicted here sooner than a job array starts. Counted, not listed:
        // this runs before every prediction, and images may keep arriving for the model.
        if !adopting {
            guard try workspace.predictionBacklogCount(model: serving.sha) >= Workspace.queueHead + SweepShardPlan.minimumShard else { return }
        }
        state.sweptModels.insert(serving.sha)
        let images = try workspace.sweepImages(model: serving.sha, skipping: state.unpredictable, pastHead: !adopting)
        guard adopting || images.count >= SweepShardPlan.minimumShard else { return }
        let targets = try workspace.sweepTargets(images)
        let shas = images.map(\.sha)
        state.sweepImages = Set(shas)
        state.sweepRequest = true
        WorkRequest.submit(on: loop, work: { Result { try cluster.submitSweep(model: serving.sha, images: shas) } }, after: { [unowned self] result in
            self.state.sweepRequest = false
            switch result {
            case .success(let sweep):
                // An adopted sweep holds its own images; those predicted since have no target.
                self.state.sweep = DaemonState.SweepFollow(sweep: sweep, targets: targets)
                self.state.sweepImages = Set(sweep.manifest.images).intersection(targets.keys)
                self.logger.info("prediction sweep of \(sweep.manifest.images.count) images by model \(serving.sha.prefix(12)) is Slurm job array \(sweep.slurmJob), \(sweep.manifest.shards) shards of \(sweep.manifest.shardSize)")
                self.pollSlurm()
            case .failure(let error):
                self.state.sweepImages = []
                self.logger.warning("submitting the prediction sweep of model \(serving.sha.prefix(12)) to Slurm failed: \(error); its images are predicted here")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }

    /// At start: the arrays a daemon before this one left running for a model that no longer
    /// serves are cancelled; the serving model's sweep is adopted by `considerSweep`.
    func cancelStaleSweeps() {
        guard let cluster = slurmCluster else { return }
        let serving = state.serving?.sha
        state.cancellingStaleSweeps = true
        WorkRequest.submit(on: loop, work: { Result { try cluster.cancelStaleSweeps(serving: serving) } }, after: { [unowned self] result in
            self.state.cancellingStaleSweeps = false
            switch result {
            case .success(let arrays):
                for array in arrays { self.logger.info("cancelled Slurm job array \(array): its model no longer serves") }
            case .failure(let error):
                self.logger.warning("looking for sweeps of models that no longer serve failed: \(error)")
            }
            self.finishIfIdle()
        })
    }

    /// Takes back what the sweep's tasks reported since the last look.
    func collectSweep() {
        guard let followed = state.sweep, let cluster = slurmCluster, !state.sweepRequest else { return }
        state.sweepRequest = true
        let (sweep, targets, done) = (followed.sweep, followed.targets, followed.done)
        WorkRequest.submit(on: loop, work: { Result { try cluster.collect(sweep, targets: targets, done: done) } }, after: { [unowned self] result in
            self.state.sweepRequest = false
            guard self.state.sweep?.sweep == sweep else { return self.finishIfIdle() }
            switch result {
            case .success(let collection):
                for problem in collection.problems { self.logger.warning("\(problem)") }
                do {
                    try self.append { try self.workspace.recordSweepPredictions(collection.predictions) }
                    self.recovered()
                } catch where TransientFault.contains(error) {
                    // Nothing is marked done: the same shards are taken again at the next look.
                    self.backOff("\(error)", while: "recording the predictions of Slurm job array \(sweep.slurmJob)", keeping: "they are taken again")
                    return self.finishIfIdle()
                } catch {
                    return self.fail(error, while: "recording the predictions of Slurm job array \(sweep.slurmJob)")
                }
                self.state.sweep?.done.formUnion(collection.shards)
                self.state.sweepImages.subtract(collection.predictions.map(\.image))
                self.state.sweepImages.subtract(collection.returned)
                if collection.finished {
                    self.logger.info("prediction sweep Slurm job array \(sweep.slurmJob) ended")
                    self.state.sweep = nil
                    self.state.sweepImages = []
                }
            case .failure(let error):
                self.logger.warning("asking Slurm about job array \(sweep.slurmJob) failed: \(error); asking again later")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }

    /// A newer model serves: its predictions replace the old one's, so the old sweep stops.
    private func cancelSweep(_ sweep: SlurmSweep, cluster: SlurmCluster) {
        state.sweepRequest = true
        WorkRequest.submit(on: loop, work: { Result { try cluster.cancel(sweep) } }, after: { [unowned self] result in
            self.state.sweepRequest = false
            if case .failure(let error) = result {
                self.logger.warning("cancelling Slurm job array \(sweep.slurmJob) of model \(sweep.model.prefix(12)) failed: \(error)")
            } else {
                self.logger.info("cancelled Slurm job array \(sweep.slurmJob): model \(sweep.model.prefix(12)) no longer serves")
            }
            self.state.sweep = nil
            self.state.sweepImages = []
            self.schedule()
            self.finishIfIdle()
        })
    }
}
