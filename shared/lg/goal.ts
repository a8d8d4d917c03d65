// The `looking-glass` goal: host-side setup of Looking Glass's shared memory (kvmfr or shm).
import { defineGoal } from '../plan/goals';
import { planLookingGlass } from './host-plan';
import { lookingGlassFlags, lookingGlassOptions } from './options';

export const lookingGlassGoal = defineGoal({
  name: 'looking-glass',
  summary: 'Looking Glass shared memory: the kvmfr module (or a shared memory file), permissions, qemu.conf and AppArmor',
  options: lookingGlassOptions,
  flags: lookingGlassFlags,
  plan: planLookingGlass,
  examples: (host) => {
    if (!host.users.some((u) => u.uid >= 1000 && u.uid < 60000)) return [];
    return [
      lookingGlassOptions.parse({ resolution: '2560x1440' }),
      lookingGlassOptions.parse({ resolution: '3840x2160', hdr: true, shm: true }),
    ];
  },
});
