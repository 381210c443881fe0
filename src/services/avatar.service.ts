import { randomBytes } from 'node:crypto';
import { imageSize } from 'image-size';
import { AppError } from '#src/errors.js';
import type { StoredFile } from '#src/ports/file-store.port.js';
import type { MemberContext } from '#src/policies/action-context.js';
import type { ProfileService } from '#src/services/profile.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';

/** Label Studio's avatar limits (users/functions: check_avatar) and its messages, word for word. */
export const AVATAR_MAX_PIXELS = 1200;
export const AVATAR_MAX_BYTES = 1024 * 1024;
const EXTENSIONS: ReadonlySet<string> = new Set(['jpeg', 'jpg', 'gif', 'png']);
/** Formats image-size may recognise that we store; anything else (SVG, WebP…) is "unreadable" as for Pillow here. */
const READABLE_TYPES: ReadonlySet<string> = new Set(['png', 'jpg', 'gif']);
const CONTENT_TYPES: Readonly<Record<string, string>> = { png: 'image/png', gif: 'image/gif', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

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

/**
 * `<8 hex>-<original name reduced to [A-Za-z0-9._-]>`, keeping the (already validated) extension. The prefix is random
 * unless given (an import derives it from the file, so a re-run after a crash finds the file it already copied).
 */
export function storedAvatarName(original: string, prefix = randomBytes(4).toString('hex')): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const extension = extensionOf(base) ?? 'png';
  const stem = base
    .slice(0, base.length - extension.length - 1)
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^[.]+/, '')
    .slice(0, 100);
  return `${prefix}-${stem || 'avatar'}.${extension}`;
}

/** Profile pictures: upload (validated), replace, clear, serve; the files live in the file store. */
export class AvatarService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly profiles: ProfileService,
  ) {}

  /**
   * Sets the avatar of `userId` (the actor themself, or another member within the target rules). No upload clears
   * it, as in Label Studio. The replaced file is deleted once the change is committed.
   */
  async replace(ctx: MemberContext, userId: number, upload: AvatarUpload | undefined): Promise<void> {
    const { user } = await this.profiles.findChangeable(ctx, userId);
    if (upload) {
      const problem = avatarProblem(upload);
      if (problem) throw new AppError('avatar.invalid', problem);
    }
    const { files } = this.deps;
    await this.deps.uow.run(ctx, async (tx) => {
      let name: string | null = null;
      if (upload) {
        name = storedAvatarName(upload.fileName);
        await files.put(tx, name, { data: upload.data, contentType: CONTENT_TYPES[extensionOf(name) ?? ''] ?? 'image/png' });
      }
      await tx.repos.users.update(user.id, { avatar: name });
      if (user.avatar) await files.remove(tx, user.avatar);
      await tx.record({ action: 'user.avatar_changed', target: { type: 'user', id: user.id }, details: { before: user.avatar, after: name } });
    });
  }

  /** Removes the avatar of `userId` (same rules as replacing it). */
  clear(ctx: MemberContext, userId: number): Promise<void> {
    return this.replace(ctx, userId, undefined);
  }

  /** A stored avatar by its name; anything that is not one of our names is not looked up. */
  read(name: string): Promise<StoredFile | undefined> {
    return STORED_NAME.test(name) ? this.deps.files.read(name) : Promise.resolve(undefined);
  }
}
