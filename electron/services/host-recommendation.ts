// Whether the doctor recommends single-GPU mode for this machine (drives default settings such as
// autostart). Any failure to read the machine counts as "no": defaults must never block the UI.
import { buildDoctorReport } from '../../shared/analyze/doctor';
import type { ServiceContext } from './context';
import { withHost } from './host-access';

export async function recommendsSingleGpu(ctx: ServiceContext): Promise<boolean> {
  try {
    return await withHost(ctx, (model) => buildDoctorReport(model).recommendation.mode === 'single-gpu');
  } catch {
    return false;
  }
}
