import { systemContext } from '#src/policies/action-context.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { UserRow } from '#src/storage/schema.js';

/** `last_activity` is written at most once a minute per user: the row the request loaded tells when it last was. */
const WRITE_INTERVAL_MS = 60_000;

/** Keeps `last_activity` (null until the first login; bumped by mutating requests) without a write per request. */
export class ActivityService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Records activity now unless the stored value is less than a minute old. Returns whether it wrote. */
  async touch(user: UserRow): Promise<boolean> {
    const now = this.deps.clock.now();
    if (user.last_activity && now.getTime() - new Date(user.last_activity).getTime() < WRITE_INTERVAL_MS) return false;
    // Conditional, so concurrent requests (several servers too) write it once a minute at most, not once each.
    const stamp = now.toISOString();
    const wrote = await this.deps.uow.run(systemContext('activity'), (tx) =>
      tx.repos.users.touchActivity(user.id, stamp, new Date(now.getTime() - WRITE_INTERVAL_MS).toISOString()),
    );
    user.last_activity = stamp;
    return wrote;
  }
}
