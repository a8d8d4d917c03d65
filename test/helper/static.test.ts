// The helper passes shellcheck, the polkit policy validates against its DTD and names the installed
// helper, and the wire limits in TypeScript match the helper's.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WIRE_FIELDS, WIRE_LIMITS } from '../../shared/plan/encode';
import { INSTALLED_HELPER } from '../../electron/system/helper-paths';
import { HELPER } from './lib';

const policy = path.resolve(__dirname, '../../resources/polkit/io.github.gpuferry.policy');
const script = readFileSync(HELPER, 'utf8');

describe('static checks', () => {
  it('shellcheck finds nothing in the helper', () => {
    const r = spawnSync('shellcheck', ['--severity=style', HELPER], { encoding: 'utf8' });
    expect(r.error, 'shellcheck must be installed').toBeUndefined();
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the polkit policy validates against policyconfig-1.dtd', () => {
    const r = spawnSync('xmllint', ['--noout', '--dtdvalid', '/usr/share/polkit-1/policyconfig-1.dtd', policy], { encoding: 'utf8' });
    expect(r.error, 'xmllint must be installed').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('every policy action points at the installed helper with its verb', () => {
    const xml = readFileSync(policy, 'utf8');
    const actions = [...xml.matchAll(/<action id="([^"]+)">([\s\S]*?)<\/action>/g)];
    expect(actions.map((a) => a[1])).toEqual(['io.github.gpuferry.apply', 'io.github.gpuferry.undo', 'io.github.gpuferry.recover']);
    for (const [, id, body] of actions) {
      expect(body, id).toContain(`<annotate key="org.freedesktop.policykit.exec.path">${INSTALLED_HELPER}</annotate>`);
      expect(body, id).toContain(`<annotate key="org.freedesktop.policykit.exec.argv1">${id!.split('.').pop()}</annotate>`);
      // The helper really has that verb, and the password is asked every time (no auth_admin_keep, no yes).
      expect(script, id).toMatch(new RegExp(`^    ${id!.split('.').pop()!}\\) `, 'm'));
      expect([...body!.matchAll(/<allow_(?:any|inactive|active)>([^<]*)</g)].map((m) => m[1]), id).toEqual(['auth_admin', 'auth_admin', 'auth_admin']);
    }
  });

  it('limits and field tables agree between TypeScript and the helper', () => {
    expect(script).toContain(`readonly MAX_BYTES=$((${WIRE_LIMITS.maxBytes / 1024 / 1024} * 1024 * 1024))`);
    expect(script).toContain(`readonly MAX_STEPS=${WIRE_LIMITS.maxSteps}`);
    for (const [kind, fields] of Object.entries(WIRE_FIELDS)) expect(script).toContain(`[${kind}]='${fields.join(' ')}'`);
  });
});
