// The ways back when something goes wrong, in words: a dark screen after a single-GPU launch, and a
// machine that does not boot after a boot change. Shown before the person needs them.

/** A single-GPU launch left the screen dark. */
export const DarkScreenAdvice = () => (
  <details className="advice">
    <summary>If the screen stays dark</summary>
    <ol>
      <li>Give it a minute: Windows may still be starting. Shutting Windows down brings your desktop back.</li>
      <li>
        Switch to a text console with <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>F3</kbd>, log in, and run <code>gpu-ferry rescue</code>:
        it gives the GPU back and restarts the login screen.
      </li>
      <li>
        From a phone or another computer: log in over SSH and run <code>gpu-ferry rescue</code>.
      </li>
      <li>As a last resort hold the power button: the GPU is the host&apos;s again at the next boot.</li>
    </ol>
  </details>
);

/** A boot change (kernel parameters, early binding) and the machine does not start. */
export const FailedBootAdvice = () => (
  <details className="advice">
    <summary>If the machine does not start after this change</summary>
    <ol>
      <li>
        At the boot menu (hold <kbd>Shift</kbd> or press <kbd>Esc</kbd> while starting if it does not show), select your
        usual entry and press <kbd>e</kbd>.
      </li>
      <li>
        On the line starting with <code>linux</code>, delete what this change added (shown in the plan above), then press{' '}
        <kbd>Ctrl</kbd>+<kbd>X</kbd> or <kbd>F10</kbd> to start once without it. Nothing is saved.
      </li>
      <li>
        If the desktop does not appear, press <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>F3</kbd> for a text console and log in.
      </li>
      <li>
        Undo the change in the Journal (or run <code>gpu-ferry undo last</code>), and if a GPU is stuck on vfio-pci run{' '}
        <code>gpu-ferry rescue</code>.
      </li>
    </ol>
  </details>
);
