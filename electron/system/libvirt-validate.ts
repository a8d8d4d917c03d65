// Checks a domain XML against libvirt's own schemas with `virt-xml-validate FILE domain` before any
// define, so a mistake shows libvirt's message instead of a half-applied change.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface ValidationResult {
  ok: boolean;
  /** virt-xml-validate's output (libvirt's words), trimmed. */
  message: string;
}

export class ValidatorMissingError extends Error {}

export async function validateDomainXml(xml: string, program = 'virt-xml-validate'): Promise<ValidationResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-validate-'));
  const file = path.join(dir, 'domain.xml');
  try {
    await writeFile(file, xml, { mode: 0o600 });
    return await new Promise<ValidationResult>((resolve, reject) => {
      const child = spawn(program, [file, 'domain'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new ValidatorMissingError(`${program} is not installed (libvirt-clients on Debian/Ubuntu, libvirt elsewhere; it needs xmllint from libxml2-utils).`)
            : error,
        ),
      );
      // The temporary file name means nothing to the user: show "domain.xml" instead.
      child.on('close', (code) => resolve({ ok: code === 0, message: output.split(file).join('domain.xml').trim() }));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
