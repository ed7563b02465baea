// `prisma dev` (Prisma's local development server) is the only user of @prisma/streams-local, and the
// hotline never runs it: it has its own embedded database. This stand-in keeps `npm install` quiet
// on Node 20 and fails clearly if anything does load it.
'use strict';
async function startLocalDurableStreamsServer() {
  throw new Error('prisma dev is not supported in this project: @prisma/streams-local is replaced by packages/prisma-streams-unused (see README, Stack).');
}
module.exports = { startLocalDurableStreamsServer };
