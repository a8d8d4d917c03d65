// `gpu-ferry looking-glass plan`: what setting up Looking Glass would change, without changing it.
import { QemuConfError } from '../../shared/lg/qemu-conf';
import { LgInputError } from '../../shared/lg/size';
import { EXIT, type CliCommand, type CliIo } from './command';
import { checklistText, fileDiff, LG_FLAGS, LG_FLAGS_HELP, lgOptionsFrom, planText } from './cmd-looking-glass-args';
import { buildReview, type LgReview } from './cmd-looking-glass-review';
import { HOST_OPTIONS_HELP, UsageError, withHost } from './host-options';

export function reviewText(review: LgReview): string {
  const parts = [planText(review.plan)];
  if (review.domain) {
    parts.push(
      review.domain.before === review.domain.after
        ? `VM ${review.domain.vm}: the Looking Glass device is already in its XML.\n`
        : `VM ${review.domain.vm}: domain XML change (validated and defined through libvirt, old XML backed up)\n${fileDiff(`${review.domain.vm}.xml`, review.domain.before, review.domain.after)}`,
    );
  } else if (review.domainNote) parts.push(`${review.domainNote}\n`);
  if (review.clientConfig && review.clientConfig.before !== review.clientConfig.after) {
    parts.push(`Client settings (${review.clientConfig.file}, yours, backed up first)\n${fileDiff(review.clientConfig.file, review.clientConfig.before, review.clientConfig.after)}`);
  }
  parts.push(checklistText(review.checklist));
  return parts.join('\n');
}

/** Maps bad input met while planning to a clear message and exit code; rethrows anything else. */
export function planningError(name: string, error: unknown, io: CliIo): number {
  if (error instanceof LgInputError || error instanceof UsageError) {
    io.err(`gpu-ferry ${name}: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof QemuConfError) {
    io.err(`gpu-ferry ${name}: ${error.message}\n`);
    return EXIT.refused;
  }
  throw error;
}

export const lookingGlassPlanCommand: CliCommand = {
  path: ['looking-glass', 'plan'],
  summary: 'show what setting up Looking Glass would change (host, VM XML, client settings)',
  help: `Usage: gpu-ferry looking-glass plan [--vm NAME] [--resolution WxH] [--hdr] [--shm] [--root DIR | --host FILE] [--json]

Computes the Looking Glass setup without changing anything: the shared memory size for the
resolution (B7 formula), the host plan (kvmfr module options, boot loading, udev rule, qemu.conf
cgroup_device_acl, AppArmor, libvirt restart; or a tmpfiles.d entry with --shm), the VM's domain
XML change, the client.ini change, and the Windows checklist with the matching host version.

${LG_FLAGS_HELP}
${HOST_OPTIONS_HELP}
`,
  run: (args, io) =>
    withHost(
      'looking-glass plan',
      args,
      io,
      async (loaded, opts) => {
        try {
          const options = lgOptionsFrom(opts);
          const live = opts.root === undefined && opts.host === undefined;
          const review = await buildReview(loaded.model, options, live, typeof opts.connect === 'string' ? opts.connect : undefined);
          io.out(opts.json ? JSON.stringify(review, null, 2) + '\n' : reviewText(review));
          return EXIT.ok;
        } catch (error) {
          return planningError('looking-glass plan', error, io);
        }
      },
      LG_FLAGS,
    ),
};
