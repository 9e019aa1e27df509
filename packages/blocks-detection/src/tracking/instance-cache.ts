/**
 * Which tracker ids a stream has shown before, remembering at most `size` of them (the oldest
 * forgotten first): Roboflow's InstanceCache, behind the trackers' new_instances and
 * already_seen_instances outputs.
 */
export class InstanceCache {
  readonly #size: number;
  readonly #ids = new Set<number>();

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  /** Whether `id` was seen before; records it when not. */
  record(id: number): boolean {
    if (this.#ids.has(id)) return true;
    // A Set iterates in insertion order, so its first entry is the oldest.
    while (this.#ids.size >= this.#size) this.#ids.delete(this.#ids.values().next().value!);
    this.#ids.add(id);
    return false;
  }
}
