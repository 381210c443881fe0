import { nowIso, type Clock } from '#src/clock.js';
import { AppError } from '#src/errors.js';
import type { FileStore, StoredFile } from '#src/ports/file-store.port.js';
import type { Repositories } from '#src/repositories/index.js';
import type { Tx } from '#src/services/unit-of-work.js';
import { SAFE_FILE_NAME } from '#src/adapters/local-file-store.adapter.js';

/** Files as rows of the database: every server sharing it serves the same files, and writes are truly transactional. */
export class DatabaseFileStore implements FileStore {
  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
  ) {}

  async put(tx: Tx, name: string, file: StoredFile): Promise<void> {
    if (!SAFE_FILE_NAME.test(name)) throw new AppError('internal', 'Refusing to store a file under an unsafe name.');
    await tx.repos.storedFiles.insert(name, file.contentType, file.data, nowIso(this.clock));
  }

  async remove(tx: Tx, name: string): Promise<void> {
    await tx.repos.storedFiles.delete(name);
  }

  read(name: string, tx?: Tx): Promise<StoredFile | undefined> {
    return SAFE_FILE_NAME.test(name) ? (tx?.repos ?? this.repos).storedFiles.find(name) : Promise.resolve(undefined);
  }
}
