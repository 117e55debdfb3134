/** `npm run kms -- [options]`: the embedded KMS alone, for use with your own application or the labs of another site. */
import path from 'node:path';
import { createLogger, parseLogLevel } from './logger';
import { KMS_OPTIONS_HELP, parseKmsCli } from './options';
import { KmsServer } from './server';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const { config, logLevel, help } = parseKmsCli(process.argv.slice(2), process.env, root);
  if (help) {
    console.log(`Usage: npm run kms -- [options]\n\n${KMS_OPTIONS_HELP}`);
    return;
  }
  const server = new KmsServer(config, createLogger('kms', parseLogLevel(logLevel, 'info')));
  await server.start();
  console.log(`Kurento clients can connect to ${server.url}`);
  if (server.config.reach === 'network' && server.config.accessToken) {
    console.log(`Clients on other machines without a browser page of an allowed origin need the access token:`);
    console.log(`  ws://<this machine's address>:${server.port}/${server.config.path}?token=${server.config.accessToken}`);
  }
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`[kms] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
