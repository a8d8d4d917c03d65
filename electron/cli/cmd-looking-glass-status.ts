// `gpu-ferry looking-glass status`: client and version, kvmfr module, shared memory, settings, and — with
// --vm — whether the VM has the device and is running, plus the Windows checklist.
import { parseLgVersion } from '../../shared/lg/client-version';
import { KVMFR_DEVICE, SHM_NAME } from '../../shared/lg/paths';
import { windowsChecklist } from '../../shared/lg/windows-checklist';
import { vmGpuHasOutputs } from './cmd-looking-glass-review';
import { findAll, findFirst, parseXml } from '../../shared/vm/domain-xml';
import { liveState } from '../system/looking-glass-status';
import { domainState, dumpXml } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { checklistText } from './cmd-looking-glass-args';
import { HOST_OPTIONS_HELP, withHost } from './host-options';

async function vmState(vm: string, uri: string | undefined): Promise<{ name: string; state: string | null; device: 'kvmfr' | 'shm' | null; error: string | null }> {
  try {
    const xml = await dumpXml(vm, { uri, inactive: true });
    const root = parseXml(xml).root;
    const shm = findFirst(root, `devices/shmem[name=${SHM_NAME}]`) !== null;
    const kvmfr = findAll(root, 'qemu:commandline/qemu:arg').some((a) => (a.attributes.value ?? '').includes(KVMFR_DEVICE));
    return { name: vm, state: await domainState(vm, { uri }), device: kvmfr ? 'kvmfr' : shm ? 'shm' : null, error: null };
  } catch (error) {
    return { name: vm, state: null, device: null, error: (error as Error).message };
  }
}

export const lookingGlassStatusCommand: CliCommand = {
  path: ['looking-glass', 'status'],
  summary: 'Looking Glass state: client version, kvmfr, shared memory, VM device, Windows checklist',
  help: `Usage: gpu-ferry looking-glass status [--vm NAME] [--connect URI] [--root DIR | --host FILE] [--json]

${HOST_OPTIONS_HELP}
`,
  run: (args, io) =>
    withHost(
      'looking-glass status',
      args,
      io,
      async ({ model, root }, opts) => {
        const live = opts.root === undefined && opts.host === undefined;
        const state = await liveState(live ? '/' : root);
        const version = state.client.version ?? model.lookingGlass.clientVersion;
        const vm = typeof opts.vm === 'string' && live ? await vmState(opts.vm, typeof opts.connect === 'string' ? opts.connect : undefined) : null;
        const mode = vm?.device ?? (state.kvmfr.exists || model.lookingGlass.kvmfrLoaded ? 'kvmfr' : 'shm');
        const status = {
          client: { installed: model.lookingGlass.client || state.client.path !== null, path: state.client.path ?? model.lookingGlass.clientPath, version, problem: state.client.problem },
          kvmfr: { available: model.lookingGlass.kvmfrAvailable, loaded: model.lookingGlass.kvmfrLoaded, device: state.kvmfr },
          shm: state.shm,
          clientConfig: state.clientConfig,
          vm,
          checklist: windowsChecklist(version ? parseLgVersion(version) : null, mode, model.lookingGlass.client || state.client.path !== null, vmGpuHasOutputs(model)),
        };
        if (opts.json) {
          io.out(JSON.stringify(status, null, 2) + '\n');
          return EXIT.ok;
        }
        const yes = (b: boolean) => (b ? 'yes' : 'no');
        io.out(
          [
            `Client:        ${status.client.installed ? `${status.client.path ?? 'installed'} ${version ?? '(version unknown)'}` : 'not installed'}${state.client.problem && live ? ` — ${state.client.problem}` : ''}`,
            `kvmfr module:  installed ${yes(status.kvmfr.available)}, loaded ${yes(status.kvmfr.loaded)}, ${KVMFR_DEVICE} ${state.kvmfr.exists ? 'present' : 'absent'}`,
            `Shared file:   ${state.shm.path} ${state.shm.exists ? `${state.shm.sizeMiB} MiB` : 'absent'}`,
            `Client config: ${state.clientConfig ? `${state.clientConfig.file} (shmFile=${state.clientConfig.settings.shmFile ?? 'default'})` : 'none'}`,
            ...(vm ? [`VM ${vm.name}:  ${vm.error ?? `${vm.state}, Looking Glass device: ${vm.device ?? 'none'}`}`] : []),
            '',
            checklistText(status.checklist),
          ].join('\n'),
        );
        return EXIT.ok;
      },
      { vm: { type: 'string' }, connect: { type: 'string' } },
    ),
};
