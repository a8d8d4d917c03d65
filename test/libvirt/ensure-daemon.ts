// Makes sure the shared test libvirtd answers before a test file talks to it (others may restart it).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function ensureLibvirtd(): void {
  execFileSync('bash', [path.join(__dirname, '..', 'lib', 'libvirtd.sh'), 'ensure'], { stdio: 'inherit', timeout: 120_000 });
}
