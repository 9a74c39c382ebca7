/**
 * Checks an input path before anything opens it: it must exist and be a regular file — not a folder, FIFO,
 * socket or device (a symlink is followed, so a link to /dev/zero is refused too; opening a FIFO would block
 * forever). Everything that reads a dataset calls this first.
 */
import * as fs from 'fs';
import { DatasetError } from './errors';

function kind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Returns the file's size; throws a DatasetError naming the file when it cannot be a dataset file. */
export function checkInputFile(file: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      let dangling = false;
      try {
        dangling = fs.lstatSync(file).isSymbolicLink();
      } catch {
        /* not there at all */
      }
      throw DatasetError.single(file, dangling ? 'is a link to a file that does not exist' : 'file not found');
    }
    if (code === 'EACCES' || code === 'EPERM') throw DatasetError.single(file, 'permission denied');
    if (code === 'ELOOP') throw DatasetError.single(file, 'is a link that loops');
    throw DatasetError.single(file, `cannot be opened (${code ?? (e as Error).message})`);
  }
  if (!st.isFile()) throw DatasetError.single(file, `is ${kind(st)}, not a ratings file`);
  return st.size;
}
