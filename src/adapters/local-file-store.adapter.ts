import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { AppError } from '#src/errors.js';
import type { FileStore, StoredFile } from '#src/ports/file-store.port.js';
import type { Tx } from '#src/services/unit-of-work.js';

/** Names a store accepts: one path segment of safe characters, so nothing can point outside the folder. */
export const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.png': 'image/png', '.gif': 'image/gif', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

/** Files in a folder of the data directory (Label Studio's `media/avatars`); the type comes from the extension. */
export class LocalFileStore implements FileStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  /** The absolute path of an acceptable name, or undefined. */
  private pathOf(name: string): string | undefined {
    if (!SAFE_FILE_NAME.test(name)) return undefined;
    const path = resolve(join(this.directory, name));
    return path.startsWith(this.directory + sep) ? path : undefined;
  }

  async put(tx: Tx, name: string, file: StoredFile): Promise<void> {
    const path = this.pathOf(name);
    if (!path) throw new AppError('internal', 'Refusing to store a file under an unsafe name.');
    await mkdir(this.directory, { recursive: true });
    await writeFile(path, file.data, { flag: 'wx' });
    tx.onRollback(() => this.unlink(path));
  }

  async remove(tx: Tx, name: string): Promise<void> {
    const path = this.pathOf(name);
    if (path) tx.afterCommit(() => this.unlink(path));
  }

  async read(name: string): Promise<StoredFile | undefined> {
    const path = this.pathOf(name);
    const contentType = CONTENT_TYPES[extname(name).toLowerCase()];
    if (!path || !contentType) return undefined;
    try {
      return { data: await readFile(path), contentType };
    } catch {
      return undefined;
    }
  }

  private async unlink(path: string): Promise<void> {
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
