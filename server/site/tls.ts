/**
 * Workshop mode needs https (getUserMedia requires a secure context on anything but localhost). Without --cert/--key,
 * a self-signed certificate for localhost and the machine's LAN addresses is made on first start and kept in
 * var/tls/, so attendees trust it once.
 */
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where they came from, for the start-up message. */
  origin: 'given' | 'created' | 'reused';
  certPath: string;
}

/** Non-internal IPv4 addresses of this machine: what attendees on the LAN can reach. */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((address): address is os.NetworkInterfaceInfo => !!address && address.family === 'IPv4' && !address.internal)
    .map((address) => address.address);
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`;
}

async function createSelfSigned(hosts: string[]): Promise<{ cert: string; key: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const names = hosts.map((host) => (/^[\d.]+$/.test(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host }));
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Kurento Labs workshop',
    notBefore: new Date(Date.now() - 24 * 3600 * 1000),
    notAfter: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension(names),
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  return { cert: certificate.toString('pem'), key: toPem('PRIVATE KEY', pkcs8) };
}

export async function loadTls(options: { cert?: string; key?: string; dir: string; hosts: string[] }): Promise<TlsMaterial> {
  if (options.cert || options.key) {
    if (!options.cert || !options.key) throw new Error('--cert and --key go together');
    return { cert: readFileSync(options.cert, 'utf8'), key: readFileSync(options.key, 'utf8'), origin: 'given', certPath: options.cert };
  }
  const certPath = path.join(options.dir, 'kurento-labs.crt');
  const keyPath = path.join(options.dir, 'kurento-labs.key');
  const hostsPath = path.join(options.dir, 'hosts.json');
  const wanted = [...new Set(options.hosts)].sort();
  if (existsSync(certPath) && existsSync(keyPath) && existsSync(hostsPath)) {
    const covered = JSON.parse(readFileSync(hostsPath, 'utf8')) as string[];
    if (wanted.every((host) => covered.includes(host))) {
      return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), origin: 'reused', certPath };
    }
  }
  mkdirSync(options.dir, { recursive: true });
  const material = await createSelfSigned(wanted);
  writeFileSync(certPath, material.cert);
  writeFileSync(keyPath, material.key, { mode: 0o600 });
  writeFileSync(hostsPath, JSON.stringify(wanted));
  return { ...material, origin: 'created', certPath };
}
