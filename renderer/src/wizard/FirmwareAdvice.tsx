// The IOMMU (or virtualization) is off in the firmware: no plan can fix that, only the firmware setup.
// Where to find the setting, in the words firmware menus use.
export const FirmwareAdvice = ({ vendor }: { vendor: 'intel' | 'amd' | 'other' }) => (
  <section className="notice notice-warn" aria-labelledby="firmware-title">
    <h3 id="firmware-title">Turn the IOMMU on in the firmware</h3>
    <p>
      The firmware (BIOS/UEFI) hides the IOMMU from Linux, so no change GPU Ferry can make will help until it is on there.
    </p>
    <ol>
      <li>
        Restart and open the firmware setup: press <kbd>Del</kbd>, <kbd>F2</kbd> or <kbd>F10</kbd> while the maker&apos;s logo
        shows (or run <code>systemctl reboot --firmware-setup</code>).
      </li>
      <li>
        {vendor === 'amd'
          ? 'Look under Advanced → AMD CBS → NBIO (or “Northbridge”) for “IOMMU” and set it to Enabled; also check “SVM Mode” is Enabled.'
          : vendor === 'intel'
            ? 'Look under Advanced → System Agent (or “Chipset” / “CPU Configuration”) for “VT-d” or “Intel Virtualization Technology for Directed I/O” and enable it; also check “Intel Virtualization Technology” (VT-x).'
            : 'Look for “IOMMU”, “VT-d” or “AMD-Vi” under the advanced, chipset or CPU settings and enable it.'}
      </li>
      <li>Save and restart, then open GPU Ferry again: it checks the machine afresh and continues.</li>
    </ol>
  </section>
);
