// First run: what GPU Ferry does, the two ways it can run on a machine (one GPU or two) in plain words,
// which one this machine is, and what the person needs before starting.
import { useAppStore } from '../store/context';

export const WelcomeStep = () => {
  const mode = useAppStore((s) => s.report?.recommendation.mode ?? 'none');
  return (
    <div className="welcome">
      <p className="lead">
        GPU Ferry lends your graphics card to a Windows virtual machine for games, and gives it back to Linux when Windows
        shuts down. It shows every change before making it, and every change can be undone.
      </p>
      <div className="modes">
        <section aria-labelledby="mode-single" className={mode === 'single-gpu' ? 'mode this' : 'mode'}>
          <h3 id="mode-single">One GPU{mode === 'single-gpu' ? ' — this machine' : ''}</h3>
          <p>
            Your only graphics card goes to Windows while it runs. Your Linux desktop closes, Windows appears on the same
            monitor, and the login screen comes back when Windows shuts down. The VM needs its own keyboard and mouse.
          </p>
        </section>
        <section aria-labelledby="mode-dual" className={mode === 'dual-gpu' ? 'mode this' : 'mode'}>
          <h3 id="mode-dual">Two GPUs{mode === 'dual-gpu' ? ' — this machine' : ''}</h3>
          <p>
            Linux keeps one graphics card (often the one in the processor) and Windows gets the other. Your desktop keeps
            running; you see Windows on a monitor plugged into its card, or in a window with Looking Glass.
          </p>
        </section>
      </div>
      {mode === 'none' && (
        <p className="warn-line">
          GPU Ferry cannot tell yet which way suits this machine: the next step says what is missing and how to fix it.
        </p>
      )}
      <h3>What you will need</h3>
      <ul>
        <li>Virtualization (VT-x / AMD-V) and the IOMMU (VT-d / AMD-Vi) turned on in the firmware setup.</li>
        <li>A Windows 11 installer ISO, and the virtio drivers ISO (virtio-win) so Windows sees its disk.</li>
        <li>About 128 GiB of free disk space and at least 8 GiB of memory for Windows.</li>
        {mode === 'single-gpu' ? (
          <li>A USB keyboard and mouse for Windows (or evdev sharing), and ideally a phone or second computer to log in over SSH if the screen stays dark.</li>
        ) : (
          <li>A monitor cable on the card Windows gets, or a dummy plug (HDMI/DisplayPort) if you use Looking Glass only.</li>
        )}
        <li>One or two restarts, and about an hour.</li>
      </ul>
    </div>
  );
};
