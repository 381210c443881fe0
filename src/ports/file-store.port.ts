import type { Tx } from '#src/services/unit-of-work.js';

export interface StoredFile {
  data: Buffer;
  contentType: string;
}

/**
 * Where uploaded files (avatars) live, transactional with the change that names them: a file put in a transaction
 * that rolls back is gone, a file removed is removed only once the transaction commits.
 */
export interface FileStore {
  put(tx: Tx, name: string, file: StoredFile): Promise<void>;
  remove(tx: Tx, name: string): Promise<void>;
  /** The file, if any; inside a use case pass its `tx` (on SQLite a read outside it would wait for it to end). */
  read(name: string, tx?: Tx): Promise<StoredFile | undefined>;
}
