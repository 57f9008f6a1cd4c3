import type { JobMarks, JobName } from '../jobs/scheduler.js';
import type { ClusterStateRepo } from '../repos/cluster-state.js';

/** The jobs' timetable in the shared database, where whichever process leads next will find it. */
export class DatabaseJobMarks implements JobMarks {
  constructor(private readonly repo: ClusterStateRepo) {}

  async lastRun(job: JobName): Promise<number> {
    const value = await this.repo.getMark(`job:${job}`);
    const at = Number(value);
    return value && Number.isFinite(at) ? at : Number.NEGATIVE_INFINITY;
  }

  setLastRun(job: JobName, at: number): Promise<void> {
    return this.repo.setMark(`job:${job}`, String(at), Date.now());
  }
}
