import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { labkitServicesAccount, learnerServicesAccount } from '../drivers/driver';
import {
  freePortsScript,
  listenersAwk,
  portHoldersIn,
  portTakenExitCode,
  servicesUpScript,
} from './services';

const newDir = tempDirsForEachTest('services-script-');

const tcpHeader =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
/** A /proc/net/tcp(6) line: local address, state (0A listening, 01 established), uid, inode. */
const socketLine = (local: string, state: string, uid: number, inode: number) =>
  `   0: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000000000000 100 0 0 10 0`;

/** Runs the listeners awk program over a tcp and a tcp6 table, as the services-up script does. */
function listeners(tcp: string[], tcp6: string[] = [], ports = '1388') {
  const dir = newDir();
  fs.writeFileSync(path.join(dir, 'tcp'), [tcpHeader, ...tcp].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'tcp6'), [tcpHeader, ...tcp6].join('\n') + '\n');
  const result = spawnSync(
    'awk',
    ['-v', 'owner=1003', '-v', `ports=${ports}`, listenersAwk, path.join(dir, 'tcp'), path.join(dir, 'tcp6')],
    { encoding: 'utf8' },
  );
  return { status: result.status, output: result.stdout.trim() };
}

describe('servicesUpScript', () => {
  it('probes each service’s health with curl and its port’s owner before falling back to labkit services up', () => {
    const script = servicesUpScript(['tracking'], labkitServicesAccount);
    expect(script).toContain(
      'if curl -sf -m 1 -o /dev/null http://127.0.0.1:5000/health; then listeners >/dev/null && exit 0; fi',
    );
    expect(script).toContain("awk -v owner=1003 -v ports='1388'");
    expect(script).toContain("LABKIT_HOME='/var/lib/labkit' labkit services up tracking");
  });

  it('expects the learner’s sockets, and their ~/.labkit, in a sandbox of an older runner', () => {
    const script = servicesUpScript(['tracking'], learnerServicesAccount);
    expect(script).toContain('awk -v owner=1000');
    expect(script).toContain("LABKIT_HOME='/home/learner/.labkit' labkit services up tracking");
  });

  it('ignores unknown names and is a no-op without services', () => {
    expect(servicesUpScript(['nope'], labkitServicesAccount)).toBe('true');
    expect(servicesUpScript([], labkitServicesAccount)).toBe('true');
  });

  it('is valid sh, as is the script that frees a port', () => {
    for (const script of [servicesUpScript(['tracking'], labkitServicesAccount), freePortsScript]) {
      expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
    }
  });
});

describe('the listeners check (awk over /proc/net/tcp and tcp6)', () => {
  it('passes when only the services account listens on the port', () => {
    expect(listeners([socketLine('0100007F:1388', '0A', 1003, 501)])).toEqual({ status: 0, output: '' });
  });

  it('says the port is free when nobody listens on it (connections and other ports do not count)', () => {
    const tcp = [socketLine('0100007F:9C40', '01', 1000, 502), socketLine('0100007F:1389', '0A', 1000, 503)];
    expect(listeners(tcp)).toEqual({ status: 1, output: '' });
  });

  it('names every other user’s listening socket on the port, on any address, IPv4 or IPv6', () => {
    const result = listeners(
      [socketLine('00000000:1388', '0A', 1000, 504)],
      [socketLine('00000000000000000000000000000000:1388', '0A', 1000, 505)],
    );
    expect(result).toEqual({
      status: portTakenExitCode,
      output: 'taken 1388 1000 504\ntaken 1388 1000 505',
    });
  });

  it('says the port is taken even while the services account also listens (on another address)', () => {
    const result = listeners([
      socketLine('0100007F:1388', '0A', 1003, 506),
      socketLine('0200007F:1388', '0A', 1000, 507),
    ]);
    expect(result).toEqual({ status: portTakenExitCode, output: 'taken 1388 1000 507' });
  });

  it('needs every port of several services', () => {
    expect(listeners([socketLine('0100007F:1388', '0A', 1003, 508)], [], '1388 1F90').status).toBe(1);
  });
});

describe('portHoldersIn', () => {
  it('reads the taken lines of the script’s output, ports in decimal', () => {
    expect(portHoldersIn('tracking: already running\ntaken 1388 1000 504\ntaken 1388 1001 505\n')).toEqual([
      { port: 5000, uid: 1000, inode: '504' },
      { port: 5000, uid: 1001, inode: '505' },
    ]);
    expect(portHoldersIn('taken nonsense\n')).toEqual([]);
  });
});

describe('freePortsScript', () => {
  it('kills the process holding a socket, says what it was, and returns once the socket is closed', async () => {
    const squatter = spawn(
      process.execPath,
      [
        '-e',
        'require("net").createServer().listen(0, "127.0.0.1", function () { console.log(this.address().port) })',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const port = Number(
      await new Promise<string>((resolve) => squatter.stdout.once('data', (data) => resolve(String(data)))),
    );
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    const line = fs
      .readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .find((entry) => entry.includes(`:${hex} 00000000:0000 0A`));
    const inode = line!.trim().split(/\s+/)[9]!;
    const exited = new Promise((resolve) => squatter.once('exit', (_, signal) => resolve(signal)));

    const result = spawnSync('sh', ['-c', freePortsScript, 'free-ports', inode], { encoding: 'utf8' });

    expect(result.stdout).toMatch(new RegExp(`^stopped ${squatter.pid} .*createServer`));
    expect(await exited).toBe('SIGKILL');
    expect(fs.readFileSync('/proc/net/tcp', 'utf8')).not.toContain(` ${inode} `);
  });
});
