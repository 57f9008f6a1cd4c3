/**
 * Holds one immutable snapshot the relay reads (route table, token index) and rebuilds it on
 * demand. Rebuilds run one at a time; requests that arrive during one are folded into a single
 * follow-up, so a burst of edits costs at most two rebuilds and the last edit is always seen.
 */
export class SnapshotHolder<T> {
  private value: T;
  /** True once a load has succeeded: the relay serves from real data, not the empty initial value. */
  loaded = false;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    initial: T,
    private readonly load: () => Promise<T>,
  ) {
    this.value = initial;
  }

  get current(): T {
    return this.value;
  }

  rebuild(): Promise<void> {
    if (!this.running) {
      this.running = this.load()
        .then((value) => {
          this.value = value;
          this.loaded = true;
        })
        .finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.rebuild();
      });
    return this.queued;
  }
}
