// Whether the doctor recommends single-GPU mode for this machine (drives default settings such as
// autostart). Any failure to read the machine counts as "no": defaults must never block the UI.
import type { ServiceContext } from './context';
import { withHost } from './host-access';

export async function recommendsSingleGpu(ctx: ServiceContext): Promise<boolean> {
  try {
    // TODO(doctor): use shared/analyze buildDoctorReport(model).recommendation.mode when it lands (issue 2).
    return await withHost(ctx, () => false);
  } catch {
    return false;
  }
}
