import { randomBytes } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { imageSize } from 'image-size';
import { AppError } from '#src/errors.js';
import type { Repositories } from '#src/repositories/index.js';
import type { Actor } from '#src/services/access.service.js';
import type { UserService } from '#src/services/user.service.js';

/** Label Studio's avatar limits (users/functions: check_avatar) and its messages, word for word. */
export const AVATAR_MAX_PIXELS = 1200;
export const AVATAR_MAX_BYTES = 1024 * 1024;
const EXTENSIONS: ReadonlySet<string> = new Set(['jpeg', 'jpg', 'gif', 'png']);
/** Formats image-size may recognise that we store; anything else (SVG, WebP…) is "unreadable" as for Pillow here. */
const READABLE_TYPES: ReadonlySet<string> = new Set(['png', 'jpg', 'gif']);
const CONTENT_TYPES: Record<string, string> = { png: 'image/png', gif: 'image/gif', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

/** An uploaded file as the HTTP layer read it. */
export interface AvatarUpload {
  fileName: string;
  contentType: string;
  data: Buffer;
  /** True when the upload was longer than the HTTP layer was willing to read. */
  truncated: boolean;
}

const extensionOf = (name: string): string | undefined => (name.includes('.') ? name.split('.').pop()?.toLowerCase() : undefined);

/** The first problem with an upload, checked in Label Studio's order, or null. */
export function avatarProblem(upload: AvatarUpload): string | null {
  let size: { width: number; height: number; type?: string };
  try {
    size = imageSize(upload.data);
  } catch {
    return "Can't read image, try another one";
  }
  if (!size.type || !READABLE_TYPES.has(size.type)) return "Can't read image, try another one";
  if (size.width > AVATAR_MAX_PIXELS || size.height > AVATAR_MAX_PIXELS) {
    return `Please use an image that is ${AVATAR_MAX_PIXELS} x ${AVATAR_MAX_PIXELS} pixels or smaller.`;
  }
  const extension = extensionOf(upload.fileName);
  if (!extension || !EXTENSIONS.has(extension)) return 'Please upload a valid image file with extensions: JPEG, JPG, GIF, or PNG.';
  const [main, sub] = upload.contentType.split(';')[0]?.trim().toLowerCase().split('/') ?? [];
  if (main !== 'image' || !sub || !EXTENSIONS.has(sub)) return 'Please use a JPEG, GIF or PNG image.';
  if (upload.truncated || upload.data.length > AVATAR_MAX_BYTES) return `Avatar file size may not exceed ${(AVATAR_MAX_BYTES / 1024).toFixed(1)} kb`;
  return null;
}

/** Stored names: 8 hex characters, a dash, then a safe stem and the extension. Nothing else is ever served. */
const STORED_NAME = /^[0-9a-f]{8}-[A-Za-z0-9_-][A-Za-z0-9._-]{0,120}\.(png|jpe?g|gif)$/;

/** `<8 random hex>-<original name reduced to [A-Za-z0-9._-]>`, keeping the (already validated) extension. */
export function storedAvatarName(original: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const extension = extensionOf(base) ?? 'png';
  const stem = base
    .slice(0, base.length - extension.length - 1)
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^[.]+/, '')
    .slice(0, 100);
  return `${randomBytes(4).toString('hex')}-${stem || 'avatar'}.${extension}`;
}

/** Avatar files under `<data dir>/media/avatars/`. */
export class AvatarFileStore {
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = resolve(dataDir, 'media', 'avatars');
  }

  /** The absolute path of a stored name, or undefined for anything that is not one (no traversal, no odd names). */
  private pathOf(name: string): string | undefined {
    if (!STORED_NAME.test(name)) return undefined;
    const path = resolve(join(this.directory, name));
    return path.startsWith(this.directory + sep) ? path : undefined;
  }

  async write(name: string, data: Buffer): Promise<void> {
    const path = this.pathOf(name);
    if (!path) throw new AppError('internal_error', 500, 'Refusing to store an avatar under an unsafe name.');
    await mkdir(this.directory, { recursive: true });
    await writeFile(path, data, { flag: 'wx' });
  }

  /** Deletes a stored file; a missing file or an empty name is fine. */
  async remove(name: string | null | undefined): Promise<void> {
    const path = name ? this.pathOf(name) : undefined;
    if (!path) return;
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** The file and its content type, or undefined. */
  async read(name: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    const path = this.pathOf(name);
    const contentType = CONTENT_TYPES[extensionOf(name) ?? ''];
    if (!path || !contentType) return undefined;
    try {
      return { data: await readFile(path), contentType };
    } catch {
      return undefined;
    }
  }
}

/** Profile pictures: upload (validated), replace, clear, serve. */
export class AvatarService {
  constructor(
    private readonly repos: Repositories,
    private readonly users: UserService,
    readonly files: AvatarFileStore,
  ) {}

  /**
   * Sets the avatar of `userId` (the actor themself, or anyone in the organization for owners and
   * administrators). No upload clears it, as in Label Studio. The replaced file is deleted.
   */
  async replace(actor: Actor, userId: number, upload: AvatarUpload | undefined): Promise<void> {
    const { user } = await this.users.findChangeable(actor, userId);
    if (!upload) return this.clearFor(user.id, user.avatar);
    const problem = avatarProblem(upload);
    if (problem) throw new AppError('bad_request', 400, problem);
    const name = storedAvatarName(upload.fileName);
    await this.files.write(name, upload.data);
    try {
      await this.repos.users.update(user.id, { avatar: name });
    } catch (error) {
      await this.files.remove(name);
      throw error;
    }
    await this.files.remove(user.avatar);
  }

  /** Removes the avatar of `userId` (same permission as replacing it). */
  async clear(actor: Actor, userId: number): Promise<void> {
    const { user } = await this.users.findChangeable(actor, userId);
    await this.clearFor(user.id, user.avatar);
  }

  read(name: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    return this.files.read(name);
  }

  private async clearFor(userId: number, current: string | null): Promise<void> {
    await this.repos.users.update(userId, { avatar: null });
    await this.files.remove(current);
  }
}
