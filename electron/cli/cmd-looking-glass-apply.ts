// `gpu-ferry looking-glass apply`: applies the reviewed Looking Glass setup — the host plan through the
// privileged helper (one authorization, journaled, undoable), then the VM's XML through libvirt (old XML
// backed up), then the user's client.ini (backed up). Stops at the first failure.
import { applyPlan } from '../system/helper-runner';
import { lookingGlassGoal } from '../../shared/lg/goal';
import { writeClientConfig } from '../system/looking-glass-config';
import { applyDomainChange } from '../system/looking-glass-domain';
import { EXIT, type CliCommand } from './command';
import { LG_FLAGS, LG_FLAGS_HELP, lgOptionsFrom } from './cmd-looking-glass-args';
import { planningError, reviewText } from './cmd-looking-glass-plan';
import { buildReview } from './cmd-looking-glass-review';
import { HOST_OPTIONS_HELP, withHost } from './host-options';
import { virshConnection } from '../system/demo-libvirt';

export const lookingGlassApplyCommand: CliCommand = {
  path: ['looking-glass', 'apply'],
  summary: 'set up Looking Glass: host plan, VM XML and client settings (asks for --yes)',
  help: `Usage: gpu-ferry looking-glass apply [--vm NAME] [--resolution WxH] [--hdr] [--shm] [--yes] [--no-client-config] [--root DIR] [--json]

Shows the same review as \`looking-glass plan\`; with --yes applies it:
  1. the host plan, through the GPU Ferry helper (one password prompt; \`gpu-ferry undo\` reverts it),
  2. the VM's domain XML (validated with virt-xml-validate, old XML kept under ~/.local/share/gpu-ferry),
  3. ~/.config/looking-glass/client.ini (an existing file is backed up next to it).
With --root DIR the host plan is applied to the tree DIR (simulation); libvirt and client.ini are left alone.

${LG_FLAGS_HELP}
  --yes                apply without asking
  --no-client-config   leave client.ini alone
${HOST_OPTIONS_HELP}
`,
  run: (args, io) =>
    withHost(
      'looking-glass apply',
      args,
      io,
      async (loaded, opts) => {
        if (opts.host !== undefined) {
          io.err('gpu-ferry looking-glass apply: --host describes a machine to plan for; it cannot be changed. Use `looking-glass plan --host`, or --root DIR to simulate.\n');
          return EXIT.usage;
        }
        let review;
        try {
          const live = opts.root === undefined;
          review = await buildReview(loaded.model, lgOptionsFrom(opts), live, typeof opts.connect === 'string' ? opts.connect : undefined);
        } catch (error) {
          return planningError('looking-glass apply', error, io);
        }
        if (opts['no-client-config'] === true) review.clientConfig = null;
        if (opts.yes !== true) {
          if (!opts.json) io.out(reviewText(review));
          io.err('Nothing was changed. Re-run with --yes to apply.\n');
          return EXIT.cancelled;
        }
        const options = lgOptionsFrom(opts);
        const result = await applyPlan({ goal: lookingGlassGoal.name, options, plan: review.plan }, { root: opts.root });
        const failed = result.steps.find((s) => s.status === 'failed');
        const report: Record<string, unknown> = { plan: result, domainBackup: null, clientConfigBackup: null };
        if (failed) {
          io.err(`gpu-ferry looking-glass apply: step ${failed.index + 1} failed: ${failed.message}\n`);
          if (opts.json) io.out(JSON.stringify(report, null, 2) + '\n');
          return EXIT.failure;
        }
        if (!opts.json) io.out(result.journalId ? `Host set up (journal ${result.journalId}; undo with \`gpu-ferry undo ${result.journalId}\`).\n` : 'Host: nothing to change.\n');
        if (review.domain) {
          report.domainBackup = await applyDomainChange(review.domain, typeof opts.connect === 'string' ? virshConnection(opts.connect) : {});
          if (!opts.json) io.out(report.domainBackup ? `VM ${review.domain.vm} updated (old XML: ${String(report.domainBackup)}).\n` : `VM ${review.domain.vm}: already set up.\n`);
        } else if (review.domainNote && !opts.json) io.out(`${review.domainNote}\n`);
        if (review.clientConfig) {
          report.clientConfigBackup = await writeClientConfig(review.clientConfig);
          if (!opts.json) io.out(`Client settings written to ${review.clientConfig.file}${report.clientConfigBackup ? ` (old file: ${String(report.clientConfigBackup)})` : ''}.\n`);
        }
        if (opts.json) io.out(JSON.stringify(report, null, 2) + '\n');
        return EXIT.ok;
      },
      { ...LG_FLAGS, yes: { type: 'boolean', default: false }, 'no-client-config': { type: 'boolean', default: false } },
    ),
};
