// The machine's ceiling for the webhook shape, as a process of its own (as the hotline is): a bare
// fastify that reads the body as bytes, parses it as JSON and answers 200, nothing else. Started by
// scripts/bench-webhooks.ts; prints its address on stdout once it listens.
import Fastify from 'fastify';

async function main(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/*', async (req) => {
    JSON.parse((req.body as Buffer).toString('utf8'));
    return { ok: true };
  });
  const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  console.log(url);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
