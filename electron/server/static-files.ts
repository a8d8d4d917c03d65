// Serves the built renderer (dist/renderer) read-only: no directory listing, no path outside the folder.
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** The file for a URL path, or null (missing, outside the folder, or not a known type). */
export const readStatic = async (dir: string, urlPath: string): Promise<StaticFile | null> => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const type = types[path.extname(relative)];
  if (!type) return null;
  try {
    const base = await realpath(dir);
    const file = await realpath(path.resolve(base, relative));
    if (!file.startsWith(base + path.sep)) return null;
    return { body: await readFile(file), type };
  } catch {
    return null;
  }
};
