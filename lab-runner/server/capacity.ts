/**
 * What an operator's dashboard shows: the limits and their use, the default sandbox limits, and the
 * host's memory (the whole machine's, as the kernel reports it; a container's own limit is not seen).
 */
import os from 'node:os';
import { defaultSandboxResources } from '../drivers/driver';
import type { CapacityView } from '../api/sessions';
import type { SessionManager } from '../sessions/manager';

export function capacityView(sessions: SessionManager): CapacityView {
  return {
    ...sessions.capacity(),
    sandboxMemoryMb: defaultSandboxResources.memoryMb,
    sandboxCpus: defaultSandboxResources.cpus,
    host: {
      memoryTotalBytes: os.totalmem(),
      memoryAvailableBytes: os.freemem(),
      cpus: os.availableParallelism(),
    },
  };
}
