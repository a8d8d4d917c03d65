// "Restart now" after a plan that needs a reboot: asked first (save your work), then the system's own
// `systemctl reboot` in main (app.restart). A refusal (simulated machine, polkit) is shown as it comes.
import { useState } from 'react';
import { ConfirmDialog } from '../dashboard/ConfirmDialog';
import { useAppStore } from '../store/context';
import { ErrorNotice } from '../ui/Notice';

export const RestartNow = () => {
  const { state, restart } = useAppStore((s) => ({ state: s.restartState, restart: s.restartComputer }));
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-primary" onClick={() => setAsking(true)} disabled={state?.busy === true}>
        {state?.busy ? 'Restarting…' : 'Restart now'}
      </button>
      <ErrorNotice error={state?.error ?? null} />
      <ConfirmDialog
        open={asking}
        title="Restart the computer now?"
        confirmLabel="Restart now"
        onConfirm={() => {
          setAsking(false);
          void restart();
        }}
        onCancel={() => setAsking(false)}
      >
        <p>Save your work in other programs first: they close when the computer restarts.</p>
      </ConfirmDialog>
    </>
  );
};
