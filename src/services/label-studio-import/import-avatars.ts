import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { imageSize } from 'image-size';
import { avatarProblem, storedAvatarName } from '#src/services/avatar.service.js';
import type { ImportRun } from '#src/services/label-studio-import/import-run.js';

const TYPES: Readonly<Record<string, { extension: string; contentType: string }>> = {
  png: { extension: 'png', contentType: 'image/png' },
  gif: { extension: 'gif', contentType: 'image/gif' },
  jpg: { extension: 'jpg', contentType: 'image/jpeg' },
};

/** The file's bytes, or undefined when it is absent, unreadable or outside the media folder (a hand-edited path). */
async function readMediaFile(mediaDir: string, path: string): Promise<Buffer | undefined> {
  const full = resolve(mediaDir, path);
  const inside = relative(resolve(mediaDir), full);
  if (inside.startsWith('..') || isAbsolute(inside)) return undefined;
  try {
    return await readFile(full);
  } catch {
    return undefined;
  }
}

/**
 * Copies a Label Studio avatar (`avatars/<8 hex>-<name>` under MEDIA_ROOT) into this server's file store, checked like
 * an upload (a readable JPEG, GIF or PNG, at most 1200×1200 pixels and 1 MiB). Returns the stored name, or null when
 * there is none to keep (reported). The name is derived from the user and the bytes: a re-run after a crash finds the
 * file it copied the first time instead of leaving it behind.
 */
export async function copyAvatar(run: ImportRun, userId: number, path: string | null): Promise<string | null> {
  if (!path) return null;
  const { counts } = run.report;
  const data = await readMediaFile(run.options.mediaDir, path);
  if (!data) {
    counts.avatars.missing += 1;
    run.warn('avatar_missing', `user ${userId}: ${path}`);
    return null;
  }
  let type: { extension: string; contentType: string } | undefined;
  try {
    type = TYPES[imageSize(data).type ?? ''];
  } catch {
    type = undefined;
  }
  const stem = basename(path).replace(/^[0-9a-f]{8}-/, '').replace(/\.[^.]*$/, '');
  const problem = type ? avatarProblem({ fileName: `${stem}.${type.extension}`, contentType: type.contentType, data, truncated: false }) : 'unreadable';
  if (!type || problem) {
    counts.avatars.rejected += 1;
    run.warn('avatar_rejected', `user ${userId}: ${path} (${problem ?? 'unreadable'}, ${data.length} bytes)`);
    return null;
  }
  const prefix = createHash('sha256').update(`${userId}:`).update(data).digest('hex').slice(0, 8);
  let name = storedAvatarName(`${stem}.${type.extension}`, prefix);
  counts.avatars.copied += 1;
  if (run.options.dryRun) return name;
  const { files } = run.deps;
  const existing = await files.read(name, run.tx);
  if (existing?.data.equals(data)) return name;
  if (existing) name = storedAvatarName(`${stem}.${type.extension}`);
  await files.put(run.tx, name, { data, contentType: type.contentType });
  return name;
}
