// Loads a fixture host spec through the real materializer and scanner (electron/host), as the CLI does.
import { loadHost } from '../../../electron/host/load';
import type { HostModel } from '../../../shared/host/model';

export async function fixtureHost(name: string): Promise<HostModel> {
  const loaded = await loadHost({ host: new URL(`../../fixtures/hosts/${name}.host.json`, import.meta.url).pathname });
  try {
    return loaded.model;
  } finally {
    await loaded.cleanup();
  }
}
