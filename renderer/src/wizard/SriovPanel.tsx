// SR-IOV on the GPU step: a GPU that can be shared (an Intel iGPU with SR-IOV) shows its virtual
// functions with their IOMMU groups; the person chooses how many exist (the sriov-vfs plan, reviewed and
// applied like every other plan) and which one the VM gets (it becomes the wizard's GPU, so the VM step
// attaches that VF alone). A GPU whose driver offers no SR-IOV although asked to gets the doctor's words.
import { useState } from 'react';
import { isDisplay } from '../../../shared/analyze/pci-class';
import type { SriovDeviceReport } from '../../../shared/analyze/report';
import { PlanReview } from '../plans/PlanReview';
import { useAppStore } from '../store/context';
import { ErrorNotice, Notice } from '../ui/Notice';
import { goalOptions } from './goal-options';

/** The SR-IOV devices the GPU step shows: display controllers (NICs and NVMe stay with the CLI). */
export const sharedGpus = (sriov: SriovDeviceReport[] | undefined): SriovDeviceReport[] =>
  (sriov ?? []).filter(isDisplay);

const groupWords = (vf: SriovDeviceReport['virtualFunctions'][number]): string =>
  vf.iommuGroup === null
    ? 'no IOMMU group (the IOMMU is off)'
    : `IOMMU group ${vf.iommuGroup}${vf.ownGroup ? ', alone in it' : ', shared with other devices'}`;

const SriovDevice = ({
  pf,
  chosen,
  onChoose,
}: {
  pf: SriovDeviceReport;
  chosen: string | null;
  onChoose: (vf: string) => void;
}) => {
  const { planBusy, makePlan } = useAppStore((s) => ({ planBusy: s.planBusy, makePlan: s.makePlan }));
  const [count, setCount] = useState(pf.numVfs > 0 ? pf.numVfs : 1);
  const valid = Number.isInteger(count) && count >= 0 && count <= pf.totalVfs;
  const countId = `sriov-count-${pf.address}`;
  return (
    <div className="sriov-device">
      <p>
        <strong>{pf.name}</strong> <code>{pf.address}</code> · driver {pf.driver ?? 'none'} · {pf.numVfs} of{' '}
        {pf.totalVfs} virtual functions exist now
      </p>
      {pf.virtualFunctions.length > 0 ? (
        <fieldset className="vf-list">
          <legend>The virtual function the VM gets</legend>
          <ul>
            {pf.virtualFunctions.map((vf) => (
              <li key={vf.address} className={chosen === vf.address ? 'vf selected' : 'vf'}>
                <label>
                  <input
                    type="radio"
                    name="sriov-vf"
                    value={vf.address}
                    checked={chosen === vf.address}
                    disabled={vf.ownGroup !== true}
                    onChange={() => onChoose(vf.address)}
                  />
                  <code>{vf.address}</code>
                  <span className="small">
                    {' '}
                    {groupWords(vf)} · driver {vf.driver ?? 'none'}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : (
        <p className="muted small">
          No virtual functions exist yet: create some below, then choose one for the VM.
        </p>
      )}
      <div className="sriov-count">
        <label htmlFor={countId}>Virtual functions, now and at every boot (0 removes them)</label>
        <input
          id={countId}
          type="number"
          min={0}
          max={pf.totalVfs}
          step={1}
          value={Number.isNaN(count) ? '' : count}
          onChange={(e) => setCount(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value))}
          aria-invalid={!valid}
        />
        <button
          type="button"
          className="btn"
          disabled={!valid || planBusy !== null}
          onClick={() =>
            void makePlan(
              'sriov-vfs',
              goalOptions('sriov-vfs', { gpu: null, sriov: { device: pf.address, count } }),
            )
          }
        >
          Review plan
        </button>
      </div>
      {!valid && <p className="warn-line">Choose a whole number from 0 to {pf.totalVfs}.</p>}
    </div>
  );
};

export const SriovPanel = ({
  chosen,
  onChoose,
}: {
  chosen: string | null;
  onChoose: (vf: string) => void;
}) => {
  const { report, plan, planBusy, planError } = useAppStore((s) => ({
    report: s.report,
    plan: s.plan,
    planBusy: s.planBusy,
    planError: s.planError,
  }));
  const pfs = sharedGpus(report?.sriov);
  const unsupported = report?.checks.find((c) => c.id === 'igpu-sriov' && c.status !== 'pass');
  if (pfs.length === 0 && !unsupported) return null;
  const reviewing = plan?.goal === 'sriov-vfs' || planBusy === 'making'; // the only plan this step makes
  return (
    <section className="sriov" aria-labelledby="sriov-title">
      <h3 id="sriov-title">Share the GPU: SR-IOV virtual functions</h3>
      <p className="muted">
        A virtual function (VF) is a slice of the GPU that a VM owns while Linux keeps the GPU and your
        screen. A VF alone in its IOMMU group can go to a VM. Windows in the VM needs the GPU maker's driver
        for the VF.
      </p>
      {unsupported && (
        <Notice kind="warn" title={unsupported.message}>
          <p>{unsupported.fix}</p>
        </Notice>
      )}
      {pfs.map((pf) => (
        <SriovDevice key={pf.address} pf={pf} chosen={chosen} onChoose={onChoose} />
      ))}
      {reviewing ? <PlanReview /> : <ErrorNotice error={planError} />}
    </section>
  );
};
