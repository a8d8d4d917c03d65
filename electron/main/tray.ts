// The tray icon: VM states at a glance and Launch / Shut down without opening the window. The menu is
// rebuilt from vm.list on every vm.state event and every 15 seconds.
import { Menu, Notification, Tray, type MenuItemConstructorOptions } from 'electron';
import type { VmSummary } from '../../shared/ipc/contract';
import { dispatch, type Handlers } from '../services/dispatch';
import type { EventHub } from '../services/events';
import { trayMenu, trayTooltip, type TrayAction } from './tray-menu';

export interface TrayOptions {
  iconPath: string;
  handlers: Handlers;
  hub: EventHub;
  show: () => void;
  quit: () => void;
}

export function createTray(options: TrayOptions): () => void {
  const tray = new Tray(options.iconPath);
  const run = async (action: TrayAction) => {
    if (action.kind === 'show') return options.show();
    if (action.kind === 'quit') return options.quit();
    const result =
      action.kind === 'start'
        ? await dispatch(options.handlers, 'vm.start', [action.vm])
        : await dispatch(options.handlers, 'vm.stop', [action.vm, { force: false }]);
    if (!result.ok && Notification.isSupported()) {
      new Notification({
        title: `Could not ${action.kind === 'start' ? 'launch' : 'shut down'} ${action.vm}`,
        body: result.error.message,
      }).show();
    }
    await refresh();
  };
  const refresh = async () => {
    const result = await dispatch(options.handlers, 'vm.list', []);
    const vms = result.ok ? (result.value as VmSummary[]) : null;
    const template: MenuItemConstructorOptions[] = [];
    for (const item of trayMenu(vms)) {
      if (item.separatorBefore) template.push({ type: 'separator' });
      const action = item.action;
      template.push({
        label: item.label,
        enabled: item.enabled,
        click: action ? () => void run(action) : undefined,
      });
    }
    tray.setToolTip(trayTooltip(vms));
    tray.setContextMenu(Menu.buildFromTemplate(template));
  };
  void refresh();
  const timer = setInterval(() => void refresh(), 15000);
  const off = options.hub.onAny((event) => {
    if (event === 'vm.state') void refresh();
  });
  return () => {
    clearInterval(timer);
    off();
    tray.destroy();
  };
}
