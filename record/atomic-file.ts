/**
 * Writing a file so that a crash never leaves half of it: the text goes to a temporary file beside
 * the target, is flushed to disk, and is renamed over the target (rename is atomic within a file
 * system, POSIX rename(2)).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

let counter = 0;

/**
 * Writes `text` to `path` all at once or not at all.
 *
 * @example
 * writeFileAtomic('recordings/pat-login/recording.json', JSON.stringify(manifest, null, 2))
 */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}-${++counter}.tmp`;
  try {
    const fd = openSync(temporary, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
