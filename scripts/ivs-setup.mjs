// npm run live:ivs-setup: makes the key pair that signs private IVS playback tokens, and with
// `-- --recording-bucket <bucket>` the recording configuration classes that record are attached to.
//
// Generates an ECDSA P-384 key pair, imports its public half into Amazon IVS
// (ImportPlaybackKeyPair) in AWS_REGION, and prints the two .env lines the live plugin needs;
// with a bucket, CreateRecordingConfiguration (reconnect window = LIVE_RECONNECT_GRACE_SECONDS,
// a thumbnail every 10 s) and the IVS_RECORDING_CONFIGURATION_ARN line.
// Progress goes to stderr and only the .env lines to stdout, so `npm run -s live:ivs-setup >> .env` works.
// `npm run live:ivs-setup` builds config and the live plugin first (their output goes to stderr).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib.mjs';

const require = createRequire(import.meta.url);
const say = (message) => console.error(message);

function requireBuilt(relativePath, buildCommand) {
  const file = path.join(root, relativePath);
  if (!fs.existsSync(file)) {
    say(`Missing ${relativePath}: run \`${buildCommand}\` first.`);
    process.exit(1);
  }
  return require(file);
}

const flagValue = (name) => {
  const flag = process.argv.indexOf(name);
  return flag !== -1 ? process.argv[flag + 1] : undefined;
};

function keyPairName() {
  const given = flagValue('--name');
  if (given) return given;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `skillyug-playback-${stamp}`;
}

async function main() {
  const { loadEnv } = requireBuilt('config/dist/index.js', 'npm run build -w @skillyug/config');
  const { importPlaybackKeyPair, createRecordingConfiguration } = requireBuilt(
    'src-plugins/live/dist/server/sessions/providers/ivs/setup.js',
    'npm run build -w @skillyug/live'
  );
  const { IvsClient } = require('@aws-sdk/client-ivs');

  // The site target validates every variable but skips the "LIVE_PROVIDER=ivs needs a key pair" rule: this makes the key pair.
  const env = loadEnv('site');
  if (!env.AWS_REGION) {
    say('AWS_REGION is not set: put the region of your IVS channels in .env (e.g. AWS_REGION=us-west-2).');
    process.exit(1);
  }
  const name = keyPairName();
  if (!/^[a-zA-Z0-9_-]{1,128}$/.test(name)) {
    say('The key pair name may only hold letters, digits, "-" and "_" (at most 128 characters).');
    process.exit(1);
  }

  const client = new IvsClient({
    region: env.AWS_REGION,
    ...(env.IVS_ENDPOINT ? { endpoint: env.IVS_ENDPOINT } : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } }
      : {}),
  });

  say(`▶ Generating an ECDSA P-384 playback key pair…`);
  say(`▶ Importing its public key into Amazon IVS (${env.AWS_REGION}${env.IVS_ENDPOINT ? `, ${env.IVS_ENDPOINT}` : ''}) as "${name}"…`);
  try {
    const { arn, privateKeyPem } = await importPlaybackKeyPair(client, name);
    say(`✔ Imported ${arn}`);
    say('\nAdd these two lines to .env (the private key is a secret: keep it out of git and logs):\n');
    console.log(`IVS_PLAYBACK_KEY_PAIR_ARN=${arn}`);
    console.log(`IVS_PLAYBACK_PRIVATE_KEY="${privateKeyPem.trim().replace(/\r?\n/g, '\\n')}"`);
    const bucketName = flagValue('--recording-bucket');
    if (bucketName) {
      say(`▶ Creating a recording configuration that records to s3://${bucketName}…`);
      const recording = await createRecordingConfiguration(client, {
        name: `${name}-recordings`.replace('-playback', ''),
        bucketName,
        reconnectWindowSeconds: Math.min(300, env.LIVE_RECONNECT_GRACE_SECONDS),
        thumbnailIntervalSeconds: 10,
      });
      say(`✔ Created ${recording.arn} (${recording.state}; it becomes ACTIVE in a few seconds)`);
      console.log(`IVS_RECORDING_CONFIGURATION_ARN=${recording.arn}`);
      console.log('UPLOAD_PROVIDER=s3');
    }
  } finally {
    client.destroy();
  }
}

main().catch((error) => {
  say(`✘ ${error?.message ?? error}`);
  process.exit(1);
});
