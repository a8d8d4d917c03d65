// The daily screen: a card per VM with one-click Launch.
import { useEffect } from 'react';
import { useAppStore } from '../store/context';
import { EmptyState, ErrorNotice } from '../ui/Notice';
import { VmCard } from './VmCard';

export const Dashboard = ({ onOpenSetup }: { onOpenSetup: () => void }) => {
  const { vms, vmsLoaded, vmError, loadVms, loadHandoffLog } = useAppStore((s) => ({
    vms: s.vms,
    vmsLoaded: s.vmsLoaded,
    vmError: s.vmError,
    loadVms: s.loadVms,
    loadHandoffLog: s.loadHandoffLog,
  }));
  const names = vms.map((v) => v.name).join('\n');
  useEffect(() => {
    for (const name of names.split('\n').filter(Boolean)) void loadHandoffLog(name);
  }, [names, loadHandoffLog]);
  return (
    <section className="dashboard" aria-labelledby="dash-title">
      <div className="section-head">
        <h2 id="dash-title">Your VMs</h2>
        <button type="button" className="btn" onClick={() => void loadVms()}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={vmError} />
      {vmsLoaded && vms.length === 0 && !vmError ? (
        <EmptyState title="No VMs yet">
          <p>Create a Windows VM for your GPU in the setup.</p>
          <button type="button" className="btn btn-primary" onClick={onOpenSetup}>
            Open setup
          </button>
        </EmptyState>
      ) : (
        <div className="vm-grid">
          {vms.map((vm) => (
            <VmCard key={vm.name} vm={vm} onOpenSetup={onOpenSetup} />
          ))}
        </div>
      )}
    </section>
  );
};
